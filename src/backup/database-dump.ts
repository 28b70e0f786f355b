/**
 * `pg_dump -Fc` of each database inside harbor-db, streamed into the backup and hashed on the
 * way; and the way back: terminate the sessions, drop and create the database, `pg_restore` from
 * stdin. pg_dump works on one snapshot (a repeatable-read transaction), so a dump is consistent
 * even while something keeps writing (https://www.postgresql.org/docs/15/app-pgdump.html).
 */
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ExitCode, RegctlError } from '../errors.js';
import type { DockerCli } from '../docker/cli.js';
import { firstErrorLine } from '../docker/cli.js';
import { psql, spawnTool } from './db-exec.js';
import { FILE_MODE, hashingTap, readPart } from './parts.js';
import { createWriteStream } from 'node:fs';

/** Harbor's databases regctl backs up when they exist: core's, and Notary's on the 2.8 line. */
export const HARBOR_DATABASES = ['registry', 'notaryserver', 'notarysigner'] as const;

export async function existingDatabases(cli: DockerCli, container: string): Promise<string[]> {
  const names = await psql(cli, container, 'postgres', 'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1;');
  return HARBOR_DATABASES.filter((d) => names.includes(d));
}

function dbError(what: string, container: string, stderr: string, code: number | undefined): RegctlError {
  return new RegctlError('E_DB_DUMP', `${what} in ${container} failed: ${firstErrorLine(stderr) || `exit code ${code}`}`, {
    exitCode: ExitCode.failure,
    fix: `check ${container} (regctl logs postgresql); nothing was changed`,
  });
}

/** pg_dump -Fc DATABASE > file (0600, new), returning size and sha256 of what was written. */
export async function dumpDatabase(cli: DockerCli, container: string, database: string, file: string): Promise<{ size: number; sha256: string }> {
  const child = spawnTool(cli, container, 'pg_dump', ['-Fc', '-d', database]);
  const { tap, result } = hashingTap();
  const out = createWriteStream(file, { flags: 'wx', mode: FILE_MODE });
  const [, r] = await Promise.all([pipeline(child.stdout!, tap, out), child]);
  if (r.exitCode !== 0) throw dbError(`pg_dump of ${database}`, container, String(r.stderr ?? ''), r.exitCode);
  return result();
}

/**
 * Replaces `database` with the dump: no one may be connected (Harbor's writers are stopped, but a
 * leftover session would make DROP DATABASE fail), then drop, create and pg_restore from stdin.
 */
export async function restoreDatabase(cli: DockerCli, container: string, database: string, backupDir: string, part: string): Promise<void> {
  const ident = `"${database.replace(/"/g, '""')}"`;
  const literal = `'${database.replace(/'/g, "''")}'`;
  await psql(cli, container, 'postgres', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${literal} AND pid <> pg_backend_pid();`);
  await psql(cli, container, 'postgres', `DROP DATABASE IF EXISTS ${ident};`);
  await psql(cli, container, 'postgres', `CREATE DATABASE ${ident};`);
  const source = await readPart(backupDir, part);
  if (!source) throw new RegctlError('E_BACKUP_INVALID', `${path.join(backupDir, part)} is a link or not a regular file`, { exitCode: ExitCode.invalidInput, fix: 'restore from another backup' });
  const child = spawnTool(cli, container, 'pg_restore', ['--exit-on-error', '-d', database], { stdin: true });
  const [, r] = await Promise.all([pipeline(source, child.stdin!), child]);
  if (r.exitCode !== 0) throw dbError(`pg_restore of ${database}`, container, String(r.stderr ?? ''), r.exitCode);
}
