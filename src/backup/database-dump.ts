/**
 * `pg_dump -Fc` of each database, streamed into the backup and hashed on the way; and the way
 * back. pg_dump works on one snapshot (a repeatable-read transaction), so a dump is consistent
 * even while something keeps writing (https://www.postgresql.org/docs/15/app-pgdump.html).
 *
 * Restoring differs by where the database lives:
 * - bundled (harbor-db): regctl is the superuser there, so terminate the sessions, drop and
 *   create the database, pg_restore.
 * - external: the database belongs to the operator, and Harbor's user may not create databases.
 *   Harbor keeps everything in schema `public`, so that schema is dropped and created again (its
 *   owner may; on PostgreSQL 15+ the database owner owns it) and pg_restore fills it, in one
 *   transaction, as that user (--no-owner --no-acl). Objects a failed upgrade left behind go with
 *   the schema, so the restored database holds exactly what was dumped.
 */
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { ExitCode, RegctlError } from '../errors.js';
import type { DockerCli } from '../docker/cli.js';
import { clientError, describeTarget, onDatabase, psql, spawnTool, type BundledDatabase, type DatabaseTarget, type ExternalDatabase } from './db-exec.js';
import { FILE_MODE, hashingTap, readPart } from './parts.js';

/** Harbor's databases regctl backs up when they exist: core's, and Notary's on the 2.8 line. */
export const HARBOR_DATABASES = ['registry', 'notaryserver', 'notarysigner'] as const;

export async function existingDatabases(cli: DockerCli, container: string): Promise<string[]> {
  const names = await psql(cli, { kind: 'bundled', container, database: 'postgres' }, 'SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1;');
  return HARBOR_DATABASES.filter((d) => names.includes(d));
}

function dbError(what: string, t: DatabaseTarget, stderr: string, code: number | undefined): RegctlError {
  return new RegctlError('E_DB_DUMP', `${what} on ${describeTarget(t)} failed: ${clientError(t, stderr, code)}`, {
    exitCode: ExitCode.failure,
    fix: t.kind === 'bundled' ? `check ${t.container} (regctl logs postgresql); nothing was changed` : `check that ${t.endpoint.host}:${t.endpoint.port} answers and external_database in harbor.yml is right; nothing was changed`,
  });
}

/** pg_dump -Fc > file (0600, new), returning size and sha256 of what was written. */
export async function dumpDatabase(cli: DockerCli, t: DatabaseTarget, file: string): Promise<{ size: number; sha256: string }> {
  const child = spawnTool(cli, t, 'pg_dump', ['-Fc']);
  const { tap, result } = hashingTap();
  const out = createWriteStream(file, { flags: 'wx', mode: FILE_MODE });
  const [, r] = await Promise.all([pipeline(child.stdout!, tap, out), child]);
  if (r.exitCode !== 0) throw dbError('pg_dump', t, String(r.stderr ?? ''), r.exitCode);
  return result();
}

async function openDump(backupDir: string, part: string) {
  const source = await readPart(backupDir, part);
  if (!source) throw new RegctlError('E_BACKUP_INVALID', `${path.join(backupDir, part)} is a link or not a regular file`, { exitCode: ExitCode.invalidInput, fix: 'restore from another backup' });
  return source;
}

/**
 * Replaces the bundled database with the dump: no one may be connected (Harbor's writers are
 * stopped, but a leftover session would make DROP DATABASE fail), then drop, create and
 * pg_restore from stdin.
 */
export async function restoreBundledDatabase(cli: DockerCli, t: BundledDatabase, backupDir: string, part: string): Promise<void> {
  const ident = `"${t.database.replace(/"/g, '""')}"`;
  const literal = `'${t.database.replace(/'/g, "''")}'`;
  const admin = onDatabase(t, 'postgres');
  await psql(cli, admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${literal} AND pid <> pg_backend_pid();`);
  await psql(cli, admin, `DROP DATABASE IF EXISTS ${ident};`);
  await psql(cli, admin, `CREATE DATABASE ${ident};`);
  const child = spawnTool(cli, t, 'pg_restore', ['--exit-on-error'], { stdin: await openDump(backupDir, part) });
  const r = await child;
  if (r.exitCode !== 0) throw dbError('pg_restore', t, String(r.stderr ?? ''), r.exitCode);
}

/** May this user drop and create schema public? (it owns it, or is a member of its owner) */
export const CAN_RECREATE_PUBLIC = "SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = 'public';";

export async function checkExternalRestorable(cli: DockerCli, t: ExternalDatabase): Promise<void> {
  const [can] = await psql(cli, t, CAN_RECREATE_PUBLIC);
  if (can !== 't') {
    const e = t.endpoint;
    throw new RegctlError('E_RESTORE_EXTERNAL_DB', `${e.username} does not own schema public of ${describeTarget(t)}: restore replaces that schema with the backup's`, {
      exitCode: ExitCode.invalidInput,
      fix: `as the database's administrator: ALTER SCHEMA public OWNER TO "${e.username}" in database ${e.dbName} (or make ${e.username} the database owner on PostgreSQL 15+), then run the restore again; nothing was changed`,
    });
  }
}

/** Replaces schema public of an external database with the dump's, in one transaction. */
export async function restoreExternalDatabase(cli: DockerCli, t: ExternalDatabase, backupDir: string, part: string): Promise<void> {
  await checkExternalRestorable(cli, t);
  // Harbor's writers are stopped; a session of this user that is left (a psql of the operator's) would hold locks
  await psql(cli, t, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid();');
  await psql(cli, t, 'BEGIN; DROP SCHEMA public CASCADE; CREATE SCHEMA public; COMMIT;');
  const child = spawnTool(cli, t, 'pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '--no-acl', '--clean', '--if-exists'], { stdin: await openDump(backupDir, part) });
  const r = await child;
  if (r.exitCode !== 0) throw dbError('pg_restore', t, String(r.stderr ?? ''), r.exitCode);
}
