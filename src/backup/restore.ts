/**
 * `regctl restore --from DIR`: a backup back into a fresh or stopped installation of the same
 * release line.
 *
 *   verify every part (size, sha256) → same line? same secretkey? stack stopped? → secrets →
 *   harbor.yml and the rendered install tree → harbor-db alone: for each database terminate
 *   sessions, drop, create, pg_restore → registry storage → the whole stack, health-gated →
 *   row counts compared with the backup's.
 *
 * The rendered configs go back before the database because harbor-db is started from them
 * (docker-compose.yml, common/config/db/env with the password the restored core also uses).
 */
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { lineOfVersion } from '../releases/index.js';
import { requireEngine } from '../docker/engine.js';
import { requireCompose, type ComposeTool } from '../docker/compose.js';
import type { DockerCli } from '../docker/cli.js';
import { projectContainers } from '../docker/containers.js';
import { resolveInstallation, type Installation } from '../installation/installation.js';
import { openStack, logSinkService, type Stack } from '../install/stack.js';
import { waitUntilReady, progressLine } from '../install/health.js';
import { describeEndpoints, failingEndpoints, probeTargetFor, waitForEndpoints, type EndpointResult } from '../install/endpoints.js';
import type { ProgressReporter } from '../install/progress.js';
import { lockPaths } from '../util/run-lock.js';
import { makeDirs, statIfExists } from '../util/fs.js';
import { readManifest, verifyParts, type BackupManifest, type DatabasePart } from './manifest.js';
import { hashFile } from './parts.js';
import { placeDir, placePart, placementOf, type Placement } from './place.js';
import { checkExternalRestorable, restoreBundledDatabase, restoreExternalDatabase } from './database-dump.js';
import { describeTarget, type DatabaseTarget } from './db-exec.js';
import { externalDatabases, probeExternal, requireClientImage, type ExternalDatabaseEntry } from './install-databases.js';
import { readComposeServices, type ComposeService } from '../docker/compose-file.js';
import { countDifferences, rowCounts, type RowCounts } from './row-counts.js';

export const RESTORE_STEPS = [
  { id: 'verify', title: 'check the backup against its manifest' },
  { id: 'check', title: 'check the installation (release line, secretkey, stopped)' },
  { id: 'secrets', title: 'restore data_volume/secret' },
  { id: 'configs', title: 'restore harbor.yml and the rendered configs' },
  { id: 'database', title: 'restore each database (drop, create, pg_restore)' },
  { id: 'storage', title: 'restore the registry storage' },
  { id: 'start', title: 'start the stack and wait until it is healthy' },
  { id: 'counts', title: "compare row counts with the backup's" },
] as const;

export interface RestoreOptions {
  from: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  configPath?: string;
  installDir?: string;
  root?: string;
  yes: boolean;
  forceSecretkey: boolean;
  /** --other-line: the install dir is rendered for another line (a failed upgrade hop); the backup's configs replace it */
  otherLine?: boolean;
  timeoutSeconds: number;
  lockWaitMs?: number;
  lockDir?: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  rowCounts: RowCounts;
  differences: string[];
  stopped: number;
  healthy: boolean;
  unready: string;
  /** /api/v2.0/health, /v2/ (and Notary) through the proxy, after the containers were healthy */
  endpoints: EndpointResult[];
}


export async function runRestore(opts: RestoreOptions, progress: ProgressReporter): Promise<RestoreResult> {
  const from = path.resolve(opts.cwd, opts.from);
  progress.start('verify', from);
  const manifest = await readManifest(from);
  await verifyParts(from, manifest, (n, total) => progress.update('verify', `${n}/${total} files`));
  progress.done('verify', `${manifest.parts.length} files match; Harbor ${manifest.harborVersion}, taken ${manifest.createdAt}`);
  const configFile = path.resolve(opts.cwd, opts.configPath ?? 'harbor.yml');
  const configPart = manifest.parts.find((p) => p.path === 'config/harbor.yml');
  // a fresh host: the backup's harbor.yml becomes the installation's
  if (!(await statIfExists(configFile)) && configPart) {
    await makeDirs(path.dirname(configFile));
    await placePart(from, configPart, path.dirname(configFile), path.basename(configFile));
  }
  const resolve = async () => (await resolveInstallation({ cwd: opts.cwd, configPath: configFile, installDir: opts.installDir, root: opts.root })).target;
  const target = await resolve();
  const release = await lockPaths(
    [
      { path: target.installDir, what: 'restore: install dir' },
      { path: target.dataVolume, what: 'restore: data_volume' },
    ],
    { waitMs: opts.lockWaitMs, lockDir: opts.lockDir, onWait: (m) => progress.note(m) },
  );
  try {
    const engine = await requireEngine(opts.env);
    const compose = await requireCompose(engine.cli, opts.env);
    return await restoreLocked({ opts, from, manifest, configFile, target, cli: engine.cli, compose, resolve }, progress);
  } finally {
    await release();
  }
}

interface RestoreRun {
  opts: RestoreOptions;
  from: string;
  manifest: BackupManifest;
  configFile: string;
  target: Installation;
  cli: DockerCli;
  compose: ComposeTool;
  resolve: () => Promise<Installation>;
}

async function checkTarget(r: RestoreRun): Promise<void> {
  const { target, manifest } = r;
  const installed = target.record?.harborVersion;
  if (installed && lineOfVersion(installed) !== lineOfVersion(manifest.harborVersion) && !r.opts.otherLine) {
    throw new RegctlError('E_RESTORE_LINE', `the backup is of Harbor ${manifest.harborVersion} (line ${lineOfVersion(manifest.harborVersion)}) but ${target.installDir} is rendered for ${installed} (line ${lineOfVersion(installed)}): a database dump only restores into the line that wrote it`, {
      exitCode: ExitCode.invalidInput,
      fix: `restore into an installation of Harbor ${manifest.harborVersion}: regctl prepare --harbor-version ${manifest.harborVersion.replace(/^v/, '')} --config ${r.configFile}, then run the restore again (upgrade afterwards with regctl upgrade); to roll back a failed upgrade hop, add --other-line: the backup's rendered configs and release record replace the install dir's`,
    });
  }
  const current = await hashFile(path.join(target.dataVolume, 'secret/keys/secretkey'));
  if (current && manifest.secretKeySha256 && current.sha256 !== manifest.secretKeySha256 && !r.opts.forceSecretkey) {
    throw new RegctlError('E_RESTORE_SECRETKEY', `${path.join(target.dataVolume, 'secret/keys/secretkey')} differs from the backup's secretkey: the installation has data encrypted with another key`, {
      exitCode: ExitCode.invalidInput,
      // goharbor/harbor#21282: a secretkey that does not match the database leaves core unable to decrypt stored credentials
      fix: "the backup's database can only be read with the backup's secretkey (goharbor/harbor#21282: with another key core cannot decrypt the registry and replication credentials it stored); add --force-secretkey to replace the installation's key with the backup's",
    });
  }
  await checkExternalTargets(r);
}

/** The backup's compose file names the images (their prefix): the client image of an external database is found by it. */
async function backupServices(r: RestoreRun): Promise<ComposeService[]> {
  const file = path.join(r.from, 'install/docker-compose.yml');
  return (await statIfExists(file)) ? readComposeServices(file) : [];
}

/** Each external database the backup holds a dump of, as this installation's harbor.yml reaches it. */
async function externalTargets(r: RestoreRun, target: Installation): Promise<{ part: DatabasePart; entry: ExternalDatabaseEntry }[]> {
  const parts = r.manifest.databases.filter((d) => d.external);
  if (!parts.length) return [];
  const entries = externalDatabases(target, await backupServices(r));
  return parts.map((part) => {
    const entry = entries.find((e) => e.name === part.name);
    if (!entry) {
      throw new RegctlError('E_RESTORE_EXTERNAL_DB', `the backup holds a dump of the external database ${part.external!.key} (${part.external!.host}:${part.external!.port}/${part.external!.dbName}) but ${r.configFile} configures no ${part.external!.key}`, {
        exitCode: ExitCode.invalidInput,
        fix: `add ${part.external!.key} to ${r.configFile} (the backup's own harbor.yml has it: config/harbor.yml in ${r.from}), then run the restore again; nothing was changed`,
      });
    }
    return { part, entry };
  });
}

/** Before anything is written: the client image is there, every external database answers and may be replaced. */
async function checkExternalTargets(r: RestoreRun): Promise<void> {
  const targets = await externalTargets(r, r.target);
  await requireClientImage(r.cli, targets.map((t) => t.entry));
  for (const { entry } of targets) {
    const probe = await probeExternal(r.cli, entry);
    if (!probe.reachable) {
      throw new RegctlError('E_RESTORE_EXTERNAL_DB', `the external database ${describeTarget(entry.target)} (${entry.key}) is not reachable: ${probe.reason}`, {
        exitCode: ExitCode.failure,
        fix: 'start it or make it reachable from this host, then run the restore again; nothing was changed',
      });
    }
    await checkExternalRestorable(r.cli, entry.target);
  }
}

async function stopRunning(r: RestoreRun): Promise<number> {
  const running = (await projectContainers(r.cli, r.target.projectName)).filter((c) => c.running);
  if (!running.length) return 0;
  if (!r.opts.yes) {
    throw new RegctlError('E_RESTORE_RUNNING', `${running.length} containers of ${r.target.projectName} are running (${running.map((c) => c.name).join(', ')}); a restore replaces their data`, {
      exitCode: ExitCode.invalidInput,
      fix: 'stop it first (regctl down), or add --yes to let restore stop it',
    });
  }
  const stack = await openStack(r.target, r.cli, r.compose);
  await stack.project.down();
  return running.length;
}

async function restoreLocked(r: RestoreRun, progress: ProgressReporter): Promise<RestoreResult> {
  progress.start('check');
  await checkTarget(r);
  const stopped = await stopRunning(r);
  progress.done('check', `line ${lineOfVersion(r.manifest.harborVersion)}${stopped ? `; ${stopped} containers stopped` : '; nothing was running'}`);
  await makeDirs(r.target.dataVolume);
  const placements: Placement[] = [
    { prefix: 'secret/', base: r.target.dataVolume, under: 'secret' },
    { prefix: 'install/', base: r.target.installDir, under: '' },
    { prefix: 'config/harbor.yml', base: path.dirname(r.configFile), under: path.basename(r.configFile) },
    { prefix: 'registry/', base: r.target.dataVolume, under: 'registry' },
  ];
  const place = async (prefix: string, step: string) => {
    progress.start(step);
    const parts = r.manifest.parts.filter((p) => p.path.startsWith(prefix));
    for (const p of parts) {
      const to = placementOf(placements, p.path)!;
      await placePart(r.from, p, to.base, to.rel);
    }
    // deepest first, so a 0700 directory owned by someone else is closed after its files are in
    for (const d of r.manifest.dirs.filter((x) => x.path === prefix.replace(/\/$/, '') || x.path.startsWith(prefix)).sort((a, b) => b.path.length - a.path.length)) {
      const to = placementOf(placements, d.path)!;
      await placeDir(d, to.base, to.rel);
    }
    return parts.length;
  };
  progress.done('secrets', `${await place('secret/', 'secrets')} files`);
  const configs = (await place('config/', 'configs')) + (await place('install/', 'configs'));
  progress.done('configs', `${configs} files`);
  for (const d of r.manifest.dataDirs) {
    if (!(await statIfExists(path.join(r.target.dataVolume, d.path)))) await placeDir(d, r.target.dataVolume, d.path);
  }
  const stack = await openStack(await r.resolve(), r.cli, r.compose);
  await restoreDatabases(r, stack, progress);
  if (r.manifest.registryData) progress.done('storage', `${await place('registry/', 'storage')} files`);
  else progress.skip('storage', 'the backup has no registry storage');
  return startAndCompare(r, stack, progress, stopped);
}

async function startServices(stack: Stack, services: string[], deadline: number, progress: ProgressReporter, step: string) {
  await stack.project.up(services);
  return waitUntilReady(stack, { deadline, only: services.length ? services : undefined, onProgress: (s) => progress.update(step, progressLine(s)) });
}

async function restoreDatabases(r: RestoreRun, stack: Stack, progress: ProgressReporter): Promise<void> {
  if (!r.manifest.databases.length) {
    progress.skip('database', 'the backup has no database dump (external database not reachable when it was taken)');
    return;
  }
  const external = await externalTargets(r, stack.target);
  if (external.length) {
    progress.start('database');
    for (const { entry, part } of external) {
      progress.update('database', `pg_restore into ${describeTarget(entry.target)}`);
      await restoreExternalDatabase(r.cli, entry.target, r.from, part.file);
    }
    progress.done('database', external.map((x) => `${x.part.name} (external ${describeTarget(x.entry.target)})`).join(', '));
    return;
  }
  progress.start('database', 'starting harbor-db');
  const deadline = Date.now() + r.opts.timeoutSeconds * 1000;
  const sink = logSinkService(stack.services);
  const first = [...(sink ? [sink.service] : []), 'postgresql'];
  const db = await startServices(stack, first, deadline, progress, 'database');
  const container = bundledContainer(stack);
  if (!db.ready) throw new RegctlError('E_NOT_HEALTHY', `harbor-db did not become healthy within ${r.opts.timeoutSeconds}s: ${progressLine(db.states)}`, { exitCode: ExitCode.failure, fix: 'see regctl logs postgresql; run the restore again once it starts' });
  for (const d of r.manifest.databases) {
    progress.update('database', `pg_restore ${d.name}`);
    await restoreBundledDatabase(r.cli, { kind: 'bundled', container, database: d.name }, r.from, d.file);
  }
  progress.done('database', r.manifest.databases.map((d) => d.name).join(', '));
}

function bundledContainer(stack: Stack): string {
  return stack.services.find((s) => s.service === 'postgresql')?.containerName || 'harbor-db';
}

/** Where the restored registry database is counted: harbor-db's, or the external one */
async function countedDatabase(r: RestoreRun, stack: Stack): Promise<DatabaseTarget | undefined> {
  const registry = r.manifest.databases.find((d) => d.name === 'registry');
  if (!registry) return undefined;
  if (!registry.external) return { kind: 'bundled', container: bundledContainer(stack), database: 'registry' };
  return (await externalTargets(r, stack.target)).find((x) => x.part.name === 'registry')?.entry.target;
}

async function startAndCompare(r: RestoreRun, stack: Stack, progress: ProgressReporter, stopped: number): Promise<RestoreResult> {
  progress.start('start');
  const deadline = Date.now() + r.opts.timeoutSeconds * 1000;
  const sink = logSinkService(stack.services);
  if (sink) await stack.project.up([sink.service]);
  const all = await startServices(stack, [], deadline, progress, 'start');
  // healthy containers, then Harbor through its proxy, as install's verify step checks it
  const endpoints = all.ready ? await waitForEndpoints(await probeTargetFor(stack.target.config, { root: r.opts.root }), { deadline, notary: r.manifest.withNotary, onFailing: (d) => progress.update('start', d) }) : [];
  const failing = failingEndpoints(endpoints);
  const healthy = all.ready && !failing.length;
  const unready = !all.ready ? progressLine(all.states) : describeEndpoints(failing);
  if (healthy) progress.done('start', `${all.states.length} services ready; ${describeEndpoints(endpoints)}`);
  else progress.fail('start', unready);
  progress.start('counts');
  const counted = await countedDatabase(r, stack);
  const counts = counted ? await rowCounts(r.cli, counted) : {};
  const differences = counted ? countDifferences(r.manifest.rowCounts, counts) : [];
  if (differences.length) progress.fail('counts', differences.join('; '));
  else progress.done('counts', counted ? 'identical' : 'no database dump in the backup: not compared');
  return { manifest: r.manifest, rowCounts: counts, differences, stopped, healthy, unready: healthy ? '' : unready, endpoints };
}
