/**
 * manifest.json of a backup: what it holds (every part with size, sha256 and original mode and
 * owner), the release it was taken from, the databases and their row counts. Written last, so a
 * directory without one is not a backup; read back with the safe reader (no links followed).
 */
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { readRegularText } from '../util/safe-read.js';
import { writeDurable } from '../util/fs.js';
import { hashFile, FILE_MODE, type BackupDir, type BackupPart } from './parts.js';
import type { RowCounts } from './row-counts.js';

export const MANIFEST = 'manifest.json';
export const MANIFEST_FORMAT = 'regctl-backup/1';

export interface DatabasePart {
  /** registry, notaryserver or notarysigner (for an external database: the bundled equivalent's name) */
  name: string;
  /** the part holding its `pg_dump -Fc` */
  file: string;
  /** set when the dump is of an external database (external_database in harbor.yml); never a password */
  external?: { key: string; host: string; port: number; dbName: string; username: string };
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  /** 'v2.14.4': the recorded release of the install */
  harborVersion: string;
  withTrivy: boolean;
  withNotary: boolean;
  /** the paths it was taken from (information; restore uses its own --config) */
  source: { configFile: string; installDir: string; dataVolume: string };
  databases: DatabasePart[];
  /** rows of Harbor's main tables in the registry database when the dump was taken */
  rowCounts: RowCounts;
  /** sha256 of data_volume/secret/keys/secretkey, when there is one */
  secretKeySha256?: string;
  registryData: boolean;
  parts: BackupPart[];
  /** the directories of the copied trees (secret, common/config, registry) */
  dirs: BackupDir[];
  /**
   * data_volume's top-level directories (database, redis, job_logs...) with mode and owner, not
   * their contents: restore recreates them empty so harbor-db (uid 999) can initialise its cluster
   */
  dataDirs: BackupDir[];
  notes: string[];
}

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeDurable(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, FILE_MODE, 'wx');
}

function corrupt(dir: string, why: string): RegctlError {
  return new RegctlError('E_BACKUP_INVALID', `${dir} is not a usable regctl backup: ${why}`, {
    exitCode: ExitCode.invalidInput,
    file: path.join(dir, MANIFEST),
    fix: 'restore from another backup (regctl backup writes one per run under <install dir>/backups); do not edit a backup',
  });
}

function isManifest(v: unknown): v is BackupManifest {
  const m = v as Partial<BackupManifest> | null;
  return typeof m === 'object' && m !== null && m.format === MANIFEST_FORMAT && typeof m.harborVersion === 'string' && Array.isArray(m.parts) && Array.isArray(m.databases) && typeof m.rowCounts === 'object';
}

/** The manifest, checked for shape and for parts that stay inside the backup dir. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  const text = await readRegularText(path.join(dir, MANIFEST), { what: "the backup's manifest", maxBytes: 64 * 1024 * 1024 });
  if (text === undefined) throw corrupt(dir, `it has no ${MANIFEST} (an unfinished or foreign directory)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(dir, `${MANIFEST} is not JSON`);
  }
  if (!isManifest(parsed)) throw corrupt(dir, `${MANIFEST} is not one regctl wrote (format ${MANIFEST_FORMAT})`);
  if (!Array.isArray(parsed.dirs) || !Array.isArray(parsed.dataDirs)) throw corrupt(dir, `${MANIFEST} lists no directories`);
  for (const p of [...parsed.parts, ...parsed.dirs, ...parsed.dataDirs]) {
    if (typeof p.path !== 'string' || path.isAbsolute(p.path) || p.path.split('/').includes('..')) throw corrupt(dir, `part '${p.path}' points outside the backup`);
  }
  return parsed;
}

/** Every part is there, a regular file, and has the size and sha256 the manifest says. */
export async function verifyParts(dir: string, manifest: BackupManifest, onProgress: (done: number, total: number) => void = () => {}): Promise<void> {
  let done = 0;
  for (const p of manifest.parts) {
    const got = await hashFile(path.join(dir, p.path));
    if (!got) throw corrupt(dir, `${p.path} is missing, a link or not a regular file`);
    if (got.size !== p.size || got.sha256 !== p.sha256) throw corrupt(dir, `${p.path} does not match the manifest (size ${got.size}, expected ${p.size}; sha256 differs: ${got.sha256 !== p.sha256})`);
    onProgress(++done, manifest.parts.length);
  }
}
