/**
 * `regctl cert trust --insecure`: adds the registry to Docker's insecure-registries (HTTP or
 * unverified TLS), backing the old daemon.json up first and recording the entry so untrust can
 * take it out again. Docker reads daemon.json only at start.
 */
import { promises as fs } from 'node:fs';
import { backupFile, exists, writeFilesAtomically } from '../cert/files.js';
import { isLoopbackIp } from '../cert/ip.js';
import { addInsecureRegistry, DAEMON_JSON, removeInsecureRegistry } from './daemon-json.js';
import { missingDirectories } from './dirs.js';
import { emptyManifest, readManifest, writeManifest } from './manifest.js';
import { underRoot } from '../util/root.js';
import type { RegistryRef } from './registry.js';

export interface InsecureResult {
  file: string;
  changed: boolean;
  created: boolean;
  backup?: string;
  notes: string[];
}

export const DOCKER_RESTART = 'the Docker daemon (systemctl restart docker): it reads daemon.json only at start';

export function isLoopbackRegistry(registry: RegistryRef): boolean {
  return registry.host === 'localhost' || isLoopbackIp(registry.host);
}

export async function addInsecure(opts: { root: string; registry: RegistryRef; now?: Date }): Promise<InsecureResult> {
  const now = opts.now ?? new Date();
  const file = underRoot(opts.root, DAEMON_JSON);
  // Docker matches insecure-registries against the host[:port] written in image names
  const entry = opts.registry.asTyped;
  const present = await exists(file);
  const current = present ? await fs.readFile(file, 'utf8') : undefined;
  // parses (and refuses malformed JSON) before anything is touched
  const next = addInsecureRegistry(current, entry, file);
  const notes: string[] = [];
  if (isLoopbackRegistry(opts.registry)) {
    notes.push('Docker already treats 127.0.0.0/8 and ::1 as insecure registries; for a loopback address this entry changes nothing');
  }
  if (!next.changed) return { file, changed: false, created: false, notes: [...notes, `${entry} is already in insecure-registries`] };

  const newDirs = await missingDirectories(opts.root, DAEMON_JSON);
  const backup = present ? await backupFile(file, now) : undefined;
  const mode = present ? (await fs.stat(file)).mode & 0o777 : 0o644;
  await writeFilesAtomically([{ path: file, content: next.text, mode }]);
  const manifest = (await readManifest(opts.root, opts.registry)) ?? emptyManifest(opts.registry);
  await writeManifest(
    opts.root,
    opts.registry,
    { ...manifest, insecureRegistry: { file: DAEMON_JSON, entry }, directories: [...manifest.directories, ...newDirs.filter((d) => !manifest.directories.includes(d))] },
    now,
  );
  return { file, changed: true, created: !present, backup, notes };
}

/** Takes the recorded entry out again (untrust); a daemon.json broken since is reported, not touched. */
export async function removeInsecure(opts: { root: string; entry: string; now?: Date }): Promise<{ changed: boolean; backup?: string }> {
  const file = underRoot(opts.root, DAEMON_JSON);
  if (!(await exists(file))) return { changed: false };
  const current = await fs.readFile(file, 'utf8');
  const next = removeInsecureRegistry(current, opts.entry, file);
  if (!next.changed) return { changed: false };
  const backup = await backupFile(file, opts.now ?? new Date());
  await writeFilesAtomically([{ path: file, content: next.text, mode: (await fs.stat(file)).mode & 0o777 }]);
  return { changed: true, backup };
}
