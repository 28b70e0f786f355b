/**
 * What the bundled harbor-db left in data_volume/database: one cluster per PostgreSQL major in
 * pgNN/ since v2.3 (the image's entrypoint sets PGDATA=${PGDATA}/pg${major},
 * make/photon/db/docker-entrypoint.sh, and removes the old pgNN after a successful pg_upgrade),
 * or the PostgreSQL 9.6 cluster in database/ itself before (database/PG_VERSION, which every
 * later image refuses to start on). Read by doctor's data_volume check and by upgrade planning.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RegctlError, ExitCode } from '../errors.js';

export interface PgCluster {
  major: number;
  /** data_volume/database/pgNN */
  dir: string;
  versionFile: string;
  /** PG_VERSION as written, trimmed: '15' */
  written: string;
}

export interface DatabaseLayout {
  /** data_volume/database */
  databaseDir: string;
  /** the pgNN clusters that have a PG_VERSION file, newest first */
  clusters: PgCluster[];
  /** database/PG_VERSION: the layout before v2.3 (PostgreSQL 9.6) */
  legacy?: { versionFile: string; written: string };
}

/** the image's test: `[ -s pgNN/PG_VERSION ]`, so an empty file (an interrupted initdb) is no cluster */
const isNonEmptyFile = (file: string) => fs.stat(file).then((s) => s.isFile() && s.size > 0, () => false);

/** The pgNN directory names under databaseDir, newest major first (none when it is missing). */
async function pgMajors(databaseDir: string): Promise<number[]> {
  const names = await fs.readdir(databaseDir).catch(() => [] as string[]);
  return names
    .map((n) => /^pg(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
}

async function readVersion(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RegctlError('E_DATABASE_UNREADABLE', `cannot read ${file} (${code})`, { file, exitCode: ExitCode.failure, fix: 'run regctl as root' });
  }
}

/** Every cluster in data_volume/database (real path, --root applied). Throws when a PG_VERSION cannot be read. */
export async function readDatabaseLayout(dataVolume: string): Promise<DatabaseLayout> {
  const databaseDir = path.join(dataVolume, 'database');
  const clusters: PgCluster[] = [];
  for (const major of await pgMajors(databaseDir)) {
    const dir = path.join(databaseDir, `pg${major}`);
    const versionFile = path.join(dir, 'PG_VERSION');
    if (!(await isNonEmptyFile(versionFile))) continue;
    clusters.push({ major, dir, versionFile, written: await readVersion(versionFile) });
  }
  const legacyFile = path.join(databaseDir, 'PG_VERSION');
  let legacy: DatabaseLayout['legacy'];
  const st = await fs.stat(legacyFile).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new RegctlError('E_DATABASE_UNREADABLE', `cannot read ${legacyFile} (${err.code})`, { file: legacyFile, exitCode: ExitCode.failure, fix: err.code === 'ENOTDIR' ? `${databaseDir} is not a directory: move it aside` : 'run regctl as root' });
  });
  if (st) legacy = { versionFile: legacyFile, written: await readVersion(legacyFile) };
  return { databaseDir, clusters, legacy };
}
