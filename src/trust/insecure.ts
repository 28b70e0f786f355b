/**
 * `regctl cert trust --insecure`: adds the registry to Docker's insecure-registries (HTTP or
 * unverified TLS), backing the old daemon.json up first and recording the entry so untrust can
 * take it out again. Docker reads daemon.json only at start.
 */
import { promises as fs } from 'node:fs';
import { backupFile, writeFilesAtomically } from '../cert/files.js';
import { ExitCode, RegctlError } from '../errors.js';
import { statIfExists } from '../util/fs.js';
import { fileKind, readRegularText } from '../util/safe-read.js';
import { lockPath } from '../util/run-lock.js';
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

/**
 * The current daemon.json: its text (undefined when absent), mode and owner. A link is refused
 * (regctl would replace the link by a file and leave the real one stale); so is anything that is
 * not a regular file, or that is far too big for a daemon.json.
 */
async function readDaemonJson(file: string): Promise<{ text?: string; mode: number; owner?: { uid: number; gid: number } }> {
  const st = await statIfExists(file);
  if (!st) return { mode: 0o644 };
  if (st.isSymbolicLink()) {
    const target = await fs.readlink(file).catch(() => '?');
    throw new RegctlError('E_DAEMON_JSON_LINK', `${file} is a symbolic link (to ${target}); regctl edits only a regular daemon.json and changed nothing`, {
      fix: `add the entry to ${target} by hand, or replace the link with the file itself (cp --remove-destination "$(readlink -f ${file})" ${file}) and run again`,
      exitCode: ExitCode.invalidInput,
      file,
    });
  }
  if (!st.isFile()) {
    throw new RegctlError('E_DAEMON_JSON_NOT_FILE', `${file} is ${fileKind(st)}; dockerd cannot read it either, and regctl changed nothing`, {
      fix: `move it away (mv ${file} ${file}.old) and run again`,
      exitCode: ExitCode.invalidInput,
      file,
    });
  }
  const text = await readRegularText(file, { what: 'daemon.json', maxBytes: 1024 * 1024 });
  return { text, mode: st.mode & 0o777, owner: { uid: st.uid, gid: st.gid } };
}

/** Two trust runs at once lost one of two entries 3 times in 10: one editor of daemon.json at a time. */
function lockDaemonJson(file: string, lockDir?: string) {
  return lockPath(file, 'cert trust: daemon.json', { lockDir });
}

export async function addInsecure(opts: { root: string; registry: RegistryRef; now?: Date; lockDir?: string }): Promise<InsecureResult> {
  const file = underRoot(opts.root, DAEMON_JSON);
  const release = await lockDaemonJson(file, opts.lockDir);
  try {
    return await addInsecureLocked(opts, file);
  } finally {
    await release();
  }
}

async function addInsecureLocked(opts: { root: string; registry: RegistryRef; now?: Date }, file: string): Promise<InsecureResult> {
  const now = opts.now ?? new Date();
  // Docker matches insecure-registries against the host[:port] written in image names
  const entry = opts.registry.asTyped;
  const { text: current, mode, owner } = await readDaemonJson(file);
  const present = current !== undefined;
  // parses (and refuses malformed JSON) before anything is touched
  const next = addInsecureRegistry(current, entry, file);
  const notes: string[] = [];
  if (isLoopbackRegistry(opts.registry)) {
    notes.push('Docker already treats 127.0.0.0/8 and ::1 as insecure registries; for a loopback address this entry changes nothing');
  }
  if (!next.changed) return { file, changed: false, created: false, notes: [...notes, `${entry} is already in insecure-registries`] };

  const newDirs = await missingDirectories(opts.root, DAEMON_JSON);
  const backup = present ? await backupFile(file, now) : undefined;
  await writeFilesAtomically([{ path: file, content: next.text, mode, owner }]);
  const manifest = (await readManifest(opts.root, opts.registry)) ?? emptyManifest(opts.registry);
  await writeManifest(
    opts.root,
    opts.registry,
    { ...manifest, insecureRegistry: { file: DAEMON_JSON, entry, created: manifest.insecureRegistry?.created ?? !present }, directories: [...manifest.directories, ...newDirs.filter((d) => !manifest.directories.includes(d))] },
    now,
  );
  return { file, changed: true, created: !present, backup, notes };
}

/** Takes the recorded entry out again (untrust); a daemon.json broken since is reported, not touched. */
export async function removeInsecure(opts: { root: string; entry: string; created?: boolean; now?: Date; lockDir?: string }): Promise<{ changed: boolean; backup?: string; removedFile?: boolean }> {
  const file = underRoot(opts.root, DAEMON_JSON);
  const release = await lockDaemonJson(file, opts.lockDir);
  try {
    const { text: current, mode, owner } = await readDaemonJson(file);
    if (current === undefined) return { changed: false };
    const next = removeInsecureRegistry(current, opts.entry, file);
    if (!next.changed) return { changed: false };
    // a daemon.json regctl created, now holding nothing: remove it rather than leave {} (no backup either)
    if (next.empty && opts.created) {
      await fs.rm(file);
      return { changed: true, removedFile: true };
    }
    const backup = await backupFile(file, opts.now ?? new Date());
    await writeFilesAtomically([{ path: file, content: next.text, mode, owner }]);
    return { changed: true, backup };
  } finally {
    await release();
  }
}
