/**
 * What `regctl cert trust` installed for one registry, so `untrust` removes exactly that: the
 * files it wrote (with their hashes, so files changed since are left alone), the directories it
 * created, the refresh commands to re-run, and the daemon.json entry it added. Paths are stored
 * without the --root prefix, as they are on the target system.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RegctlError } from '../errors.js';
import { writeFilesAtomically } from '../cert/files.js';
import { underRoot } from '../util/root.js';
import type { RegistryRef } from './registry.js';
import type { TargetName } from './types.js';

export const MANIFEST_DIR = '/var/lib/regctl/trust';

export interface TrustManifest {
  version: 1;
  registry: string;
  updatedAt: string;
  files: { path: string; sha256: string; target: TargetName }[];
  /** directories trust created (removed by untrust when empty), parents before children */
  directories: string[];
  refreshCommands: string[][];
  /** created: daemon.json did not exist before trust (untrust removes a file left as {}) */
  insecureRegistry?: { file: string; entry: string; created?: boolean };
}

export const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

export function manifestPath(root: string, registry: RegistryRef): string {
  return underRoot(root, path.posix.join(MANIFEST_DIR, `${registry.key}.json`));
}

export function emptyManifest(registry: RegistryRef): TrustManifest {
  return { version: 1, registry: registry.name, updatedAt: '', files: [], directories: [], refreshCommands: [] };
}

export async function readManifest(root: string, registry: RegistryRef): Promise<TrustManifest | undefined> {
  const file = manifestPath(root, registry);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const m = JSON.parse(text) as TrustManifest;
    if (m.version !== 1 || !Array.isArray(m.files)) throw new Error('unknown manifest format');
    return { ...m, directories: m.directories ?? [], refreshCommands: m.refreshCommands ?? [] };
  } catch (err) {
    throw new RegctlError('E_TRUST_MANIFEST', `${file} cannot be read (${(err as Error).message})`, {
      fix: 'it records what regctl installed; restore it from a backup or remove the listed files by hand',
      file,
    });
  }
}

export async function writeManifest(root: string, registry: RegistryRef, m: TrustManifest, now: Date): Promise<void> {
  const file = manifestPath(root, registry);
  await writeFilesAtomically([{ path: file, content: JSON.stringify({ ...m, updatedAt: now.toISOString() }, null, 2) + '\n', mode: 0o644 }]);
}

export async function removeManifest(root: string, registry: RegistryRef): Promise<void> {
  await fs.rm(manifestPath(root, registry), { force: true });
}

/** Registries with a manifest under root, for hints. */
export async function listTrustedRegistries(root: string): Promise<string[]> {
  const dir = underRoot(root, MANIFEST_DIR);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    try {
      out.push((JSON.parse(await fs.readFile(path.join(dir, n), 'utf8')) as TrustManifest).registry);
    } catch {
      // unreadable manifests are reported when used, not while listing
    }
  }
  return out.sort();
}
