/**
 * `regctl backup`: one consistent copy of an installation.
 *
 *   stop the writers (harbor-db keeps running) → pg_dump -Fc each Harbor database → row counts →
 *   data_volume/secret, harbor.yml, docker-compose.yml and common/config (with the installation
 *   record) → [registry storage] → start the writers again (health-gated) → manifest, rename.
 *
 * The backup is written into `<output>.partial` and renamed when the manifest is in place, so a
 * failed run leaves nothing that looks like a backup. Every file is 0600 in 0700 directories.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { backupStamp } from '../install/backup.js';
import { waitUntilReady, progressLine } from '../install/health.js';
import type { ProgressReporter } from '../install/progress.js';
import type { Stack } from '../install/stack.js';
import { lockPaths } from '../util/run-lock.js';
import { statIfExists } from '../util/fs.js';
import { dumpDatabase, existingDatabases } from './database-dump.js';
import { describeTarget } from './db-exec.js';
import { externalDatabases, probeExternal, requireClientImage } from './install-databases.js';
import { MANIFEST_FORMAT, writeManifest, type BackupManifest, type DatabasePart } from './manifest.js';
import { copyFileIn, copyTreeIn, DIR_MODE, hashFile, type BackupDir, type BackupPart, type CopiedTree } from './parts.js';
import { rowCounts, type RowCounts } from './row-counts.js';
import { runningDatabase, runningWriters } from './writers.js';

export const BACKUP_STEPS = [
  { id: 'stop', title: 'stop the writers (harbor-db keeps running)' },
  { id: 'dump', title: 'pg_dump each database inside harbor-db' },
  { id: 'files', title: 'copy data_volume/secret, harbor.yml and the rendered configs' },
  { id: 'registry', title: 'copy the registry storage' },
  { id: 'manifest', title: 'write the manifest' },
  { id: 'restart', title: 'start the writers again' },
] as const;

export interface BackupOptions {
  stack: Stack;
  /** --output; default <install dir>/backups/<stamp> */
  output?: string;
  withRegistryData: boolean;
  now: Date;
  timeoutSeconds: number;
  lockWaitMs?: number;
  lockDir?: string;
}

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  bytes: number;
  restarted: string[];
}

export function defaultBackupDir(installDir: string, now: Date): string {
  return path.join(installDir, 'backups', backupStamp(now));
}

export async function runBackup(opts: BackupOptions, progress: ProgressReporter): Promise<BackupResult> {
  const { stack } = opts;
  const release = await lockPaths(
    [
      { path: stack.target.installDir, what: 'backup: install dir' },
      { path: stack.target.dataVolume, what: 'backup: data_volume' },
    ],
    { waitMs: opts.lockWaitMs, lockDir: opts.lockDir, onWait: (m) => progress.note(m) },
  );
  try {
    return await backupLocked(opts, progress);
  } finally {
    await release();
  }
}

async function prepareOutput(dir: string): Promise<string> {
  if (await statIfExists(dir)) {
    throw new RegctlError('E_BACKUP_EXISTS', `${dir} already exists; a backup is never written over another`, { exitCode: ExitCode.invalidInput, fix: 'pass another --output, or leave it out for a new timestamped directory' });
  }
  const staging = `${dir}.partial`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(path.dirname(dir), { recursive: true, mode: DIR_MODE });
  await fs.mkdir(staging, { mode: DIR_MODE });
  await fs.chmod(staging, DIR_MODE);
  return staging;
}

async function backupLocked(opts: BackupOptions, progress: ProgressReporter): Promise<BackupResult> {
  const { stack } = opts;
  const target = stack.target;
  if (!target.record) {
    throw new RegctlError('E_BACKUP_NO_RECORD', `${target.installDir} has no installation record: regctl does not know which release this install runs`, { exitCode: ExitCode.invalidInput, fix: 'run regctl prepare --harbor-version X.Y.Z (the release it runs) first' });
  }
  const db = target.config.database.external ? undefined : await runningDatabase(stack);
  if (!target.config.database.external && !db) {
    throw new RegctlError('E_BACKUP_DB_DOWN', `harbor-db of ${target.installDir} is not running: pg_dump runs inside it`, { exitCode: ExitCode.failure, fix: 'start the stack (regctl install), then back up' });
  }
  // before anything stops: an external database needs the harbor-db image as its client
  await requireClientImage(stack.cli, externalDatabases(target, stack.services));
  const dir = path.resolve(opts.output ?? defaultBackupDir(target.installDir, opts.now));
  const staging = await prepareOutput(dir);
  const notes: string[] = [];
  const writers = await runningWriters(stack);
  progress.start('stop', writers.join(', ') || 'none running');
  try {
    if (writers.length) await stack.project.stop(writers);
    progress.done('stop', writers.length ? `${writers.length} stopped: ${writers.join(', ')}` : 'no writer was running');
    const dumped = await dumpAll(stack, db, staging, progress, notes);
    const parts: BackupPart[] = [...dumped.parts];
    const databases = dumped.databases;
    const counts = dumped.counts;
    progress.start('files');
    const copied = await copyFiles(target.dataVolume, target.installDir, target.config.source.file, staging);
    parts.push(...copied.parts);
    if (copied.skipped.length) notes.push(`skipped (links or special files): ${copied.skipped.join(', ')}`);
    progress.done('files', `${copied.parts.length} files`);
    const registry = await copyRegistry(opts, staging, progress, notes);
    parts.push(...registry.parts);
    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      createdAt: opts.now.toISOString(),
      harborVersion: target.record.harborVersion,
      withTrivy: target.record.withTrivy,
      withNotary: target.record.withNotary,
      source: { configFile: target.config.source.file, installDir: target.installDir, dataVolume: target.dataVolume },
      databases,
      rowCounts: counts,
      secretKeySha256: (await hashFile(path.join(target.dataVolume, 'secret/keys/secretkey')))?.sha256,
      registryData: registry.dirs.length > 0,
      parts,
      dirs: [...copied.dirs, ...registry.dirs],
      dataDirs: await dataDirs(target.dataVolume),
      notes,
    };
    progress.start('manifest');
    await writeManifest(staging, manifest);
    await fs.rename(staging, dir);
    progress.done('manifest', dir);
    const restarted = writers.splice(0); // from here on the catch below must not start them twice
    await restartWriters(opts, restarted, progress, dir);
    return { dir, manifest, bytes: parts.reduce((n, p) => n + p.size, 0), restarted };
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    // the stack comes back as it was, whatever failed
    if (writers.length) await stack.project.start(writers).catch(() => undefined);
    throw err;
  }
}

interface Dumped {
  parts: BackupPart[];
  databases: DatabasePart[];
  counts: RowCounts;
}

function dumpPart(file: string, got: { size: number; sha256: string }): BackupPart {
  return { path: file, ...got, mode: 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

/** The bundled databases that exist in harbor-db, or the external ones harbor.yml names and that answer. */
async function dumpAll(stack: Stack, db: string | undefined, staging: string, progress: ProgressReporter, notes: string[]): Promise<Dumped> {
  const out: Dumped = { parts: [], databases: [], counts: {} };
  progress.start('dump');
  await fs.mkdir(path.join(staging, 'db'), { mode: DIR_MODE });
  if (db) {
    for (const name of await existingDatabases(stack.cli, db)) {
      progress.update('dump', `pg_dump -Fc ${name}`);
      const file = `db/${name}.dump`;
      out.parts.push(dumpPart(file, await dumpDatabase(stack.cli, { kind: 'bundled', container: db, database: name }, path.join(staging, file))));
      out.databases.push({ name, file });
    }
    out.counts = await rowCounts(stack.cli, { kind: 'bundled', container: db, database: 'registry' });
    progress.done('dump', out.databases.map((d) => d.name).join(', '));
    return out;
  }
  const unreachable: string[] = [];
  for (const entry of externalDatabases(stack.target, stack.services)) {
    const where = describeTarget(entry.target);
    progress.update('dump', `connecting to ${where}`);
    const probe = await probeExternal(stack.cli, entry);
    if (!probe.reachable) {
      unreachable.push(where);
      notes.push(`the external database ${where} (${entry.key} in harbor.yml) is not reachable (${probe.reason}): it was not dumped; back it up with your database tooling, or run the backup again when it answers`);
      continue;
    }
    progress.update('dump', `pg_dump -Fc ${where}`);
    const file = `db/${entry.name}.dump`;
    out.parts.push(dumpPart(file, await dumpDatabase(stack.cli, entry.target, path.join(staging, file))));
    const e = entry.target.endpoint;
    out.databases.push({ name: entry.name, file, external: { key: entry.key, host: e.host, port: e.port, dbName: e.dbName, username: e.username } });
    if (entry.name === 'registry') out.counts = await rowCounts(stack.cli, entry.target);
  }
  const dumped = out.databases.map((d) => `${d.name} (external ${d.external!.host}:${d.external!.port})`).join(', ');
  if (unreachable.length) progress.warn('dump', `not reachable, not dumped: ${unreachable.join(', ')}${dumped ? `; dumped ${dumped}` : ''}`);
  else progress.done('dump', dumped);
  return out;
}

/** data_volume's top-level directories, their shape only (see BackupManifest.dataDirs) */
async function dataDirs(dataVolume: string): Promise<BackupDir[]> {
  const out: BackupDir[] = [];
  for (const e of (await fs.readdir(dataVolume, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory()) continue;
    const st = await fs.lstat(path.join(dataVolume, e.name));
    out.push({ path: e.name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
  }
  return out;
}

async function copyFiles(dataVolume: string, installDir: string, configFile: string, staging: string): Promise<CopiedTree> {
  const parts: BackupPart[] = [];
  const dirs: BackupDir[] = [];
  const skipped: string[] = [];
  const add = (r: CopiedTree) => {
    parts.push(...r.parts);
    dirs.push(...r.dirs);
    skipped.push(...r.skipped);
  };
  if (await statIfExists(path.join(dataVolume, 'secret'))) add(await copyTreeIn(path.join(dataVolume, 'secret'), staging, 'secret'));
  const config = await copyFileIn(configFile, staging, 'config/harbor.yml');
  if (config) parts.push(config);
  else skipped.push(configFile);
  const compose = await copyFileIn(path.join(installDir, 'docker-compose.yml'), staging, 'install/docker-compose.yml');
  if (compose) parts.push(compose);
  if (await statIfExists(path.join(installDir, 'common/config'))) add(await copyTreeIn(path.join(installDir, 'common/config'), staging, 'install/common/config'));
  return { parts, dirs, skipped };
}

async function copyRegistry(opts: BackupOptions, staging: string, progress: ProgressReporter, notes: string[]): Promise<CopiedTree> {
  const none: CopiedTree = { parts: [], dirs: [], skipped: [] };
  const storage = opts.stack.target.config.storage.provider;
  if (!opts.withRegistryData) {
    progress.skip('registry', 'not asked (--with-registry-data)');
    return none;
  }
  if (storage !== 'filesystem') {
    notes.push(`the registry storage is ${storage} (object storage): it was not copied; back up the bucket with its provider's tooling`);
    progress.skip('registry', `object storage (${storage}): not copied`);
    return none;
  }
  const src = path.join(opts.stack.target.dataVolume, 'registry');
  progress.start('registry', src);
  if (!(await statIfExists(src))) {
    progress.done('registry', 'no registry storage yet');
    return none;
  }
  const r = await copyTreeIn(src, staging, 'registry');
  if (r.skipped.length) notes.push(`registry storage: skipped (links or special files): ${r.skipped.join(', ')}`);
  progress.done('registry', `${r.parts.length} files`);
  return r;
}

async function restartWriters(opts: BackupOptions, writers: string[], progress: ProgressReporter, dir: string): Promise<void> {
  if (!writers.length) {
    progress.skip('restart', 'none was running');
    return;
  }
  progress.start('restart', writers.join(', '));
  await opts.stack.project.start(writers);
  const waited = await waitUntilReady(opts.stack, { deadline: Date.now() + opts.timeoutSeconds * 1000, only: writers, onProgress: (s) => progress.update('restart', progressLine(s)) });
  if (!waited.ready) {
    throw new RegctlError('E_NOT_HEALTHY', `the writers did not become healthy again within ${opts.timeoutSeconds}s: ${progressLine(waited.states)}`, { exitCode: ExitCode.failure, fix: `see regctl status and regctl logs SERVICE; the backup itself is complete: ${dir}` });
  }
  progress.done('restart', `${writers.length} running again`);
}
