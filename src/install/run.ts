/**
 * `regctl install`: check first, start second, prove the result.
 *
 *   doctor → prepare → [bundle] → images present → back up secrets → compose down (never -v) →
 *   compose up -d (log service first) → wait for running + healthy → health and /v2/ through the
 *   proxy → [systemd unit] → summary.
 *
 * Nothing touches running containers before the images are known to be there, nothing is deleted
 * on failure, and success is only printed after the endpoint checks passed.
 */
import { promises as fs, constants } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { RegctlError, ExitCode } from '../errors.js';
import { formatProblem, memoryOutput } from '../output.js';
import type { PrepareResult, PrepareRunOptions } from '../prepare/types.js';
import { runDoctor } from '../doctor/run.js';
import { resolveInstallation } from '../installation/installation.js';
import { formatResults } from '../doctor/report.js';
import type { CheckResult } from '../doctor/types.js';
import type { Installation } from '../installation/installation.js';
import { missingImages, loadImages } from '../docker/images.js';
import { projectContainers } from '../docker/containers.js';
import { formatBytes } from '../doctor/checks/disk-space.js';
import type { EngineInfo } from '../docker/engine.js';
import type { ComposeTool } from '../docker/compose.js';
import { backupSecrets } from './backup.js';
import { openStack, logSinkService, type Stack } from './stack.js';
import { waitUntilReady, progressLine, describeUnready, type ServiceState } from './health.js';
import { probeTargetFor, checkEndpoints, type EndpointResult } from './endpoints.js';
import { successSummary } from './summary.js';
import { renderUnit, writeUnit } from './systemd.js';
import type { ProgressReporter } from './progress.js';
import { lockPaths } from '../util/run-lock.js';

export interface InstallOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  configPath?: string;
  installDir?: string;
  root?: string;
  withTrivy: boolean;
  imagePrefix?: string;
  bundle?: string;
  /** seconds from `compose up` until every container is healthy and the endpoints answer */
  timeoutSeconds: number;
  yes: boolean;
  systemd: boolean;
  /** --lock-wait: how long to wait for another run on the same install dir or data_volume */
  lockWaitMs?: number;
  /** where run locks live (tests); default /run/lock/regctl */
  lockDir?: string;
}

export interface InstallDeps {
  prepare(opts: PrepareRunOptions): Promise<PrepareResult>;
  /** asks the user; absent when nobody can answer (no TTY, --json) */
  confirm?(question: string): Promise<boolean>;
  now?(): Date;
}

export interface InstallTimings {
  totalMs: number;
  /** time spent inside `compose up -d` (all calls) */
  composeUpMs: number;
  /** from the first `compose up` until the endpoint checks passed */
  upToHealthyMs: number;
  steps: Record<string, number>;
}

export interface InstallResult {
  ok: boolean;
  url: string;
  containers: number;
  endpoints: EndpointResult[];
  /** when not ok: each container that is not ready, with its log lines */
  unready: string[];
  summary: string[];
  unitFile?: string;
  backup?: string;
  timings: InstallTimings;
}

export const INSTALL_STEPS = [
  { id: 'doctor', title: 'preflight checks (doctor)' },
  { id: 'prepare', title: 'render the configuration (prepare)' },
  { id: 'bundle', title: 'load the offline image bundle' },
  { id: 'images', title: 'check that every image is present' },
  { id: 'backup', title: 'back up data_volume/secret' },
  { id: 'stop', title: 'stop the current stack (compose down, volumes kept)' },
  { id: 'start', title: 'start the stack (compose up -d)' },
  { id: 'wait', title: 'wait until every container is running and healthy' },
  { id: 'verify', title: 'check Harbor through the proxy (health, /v2/ realm)' },
  { id: 'systemd', title: 'write the systemd unit' },
] as const;

function failingChecks(results: CheckResult[]): string[] {
  return formatResults(results.filter((r) => r.status === 'fail'));
}

/** The bundle is a readable regular file (input validation: before anything runs). */
async function checkBundleReadable(file: string): Promise<number> {
  try {
    await fs.access(file, constants.R_OK);
  } catch (err) {
    throw new RegctlError('E_BUNDLE', `cannot read the bundle ${file}: ${(err as NodeJS.ErrnoException).code}`, {
      file,
      exitCode: ExitCode.invalidInput,
      fix: 'pass the harbor.vX.Y.Z.tar.gz from the offline installer to --bundle',
    });
  }
  const st = await fs.stat(file);
  if (!st.isFile()) throw new RegctlError('E_BUNDLE', `${file} is not a file`, { file, exitCode: ExitCode.invalidInput, fix: 'pass the image tarball itself (harbor.vX.Y.Z.tar.gz), not its directory' });
  return st.size;
}

/** Docker's root has room for the unpacked images (a gzipped `docker save` unpacks to ~2-3x). */
async function checkBundleSpace(file: string, size: number, engine: EngineInfo): Promise<void> {
  const need = size * (file.endsWith('.gz') || file.endsWith('.tgz') ? 3 : 1.2);
  const fsStat = await statfs(engine.rootDir).catch(() => undefined);
  if (!fsStat) return;
  const free = Number(fsStat.bavail) * Number(fsStat.bsize);
  if (free < need) {
    throw new RegctlError('E_BUNDLE_SPACE', `loading ${file} needs about ${formatBytes(need)} under ${engine.rootDir}; only ${formatBytes(free)} are free`, {
      file,
      fix: `free space under ${engine.rootDir} and re-run`,
    });
  }
}

/** One install at a time per install dir and data_volume, held from doctor to healthy (prepare takes it again). */
export async function runInstall(opts: InstallOptions, deps: InstallDeps, progress: ProgressReporter): Promise<InstallResult> {
  const t0 = Date.now();
  // config warnings are printed once, by prepare (with file, line and fix)
  const { target } = await resolveInstallation({ cwd: opts.cwd, configPath: opts.configPath, installDir: opts.installDir, root: opts.root, withTrivy: opts.withTrivy });
  const releaseLock = await lockPaths(
    [
      { path: target.installDir, what: 'install: install dir' },
      { path: target.dataVolume, what: 'install: data_volume' },
    ],
    { waitMs: opts.lockWaitMs, lockDir: opts.lockDir, onWait: (m) => progress.note(m) },
  );
  try {
    return await installLocked(opts, deps, progress, target, t0);
  } finally {
    await releaseLock();
  }
}

async function installLocked(opts: InstallOptions, deps: InstallDeps, progress: ProgressReporter, target: Installation, t0: number): Promise<InstallResult> {
  const now = deps.now ?? (() => new Date());
  const stepMs: Record<string, number> = {};
  let stepStart = 0;
  const begin = (id: string, detail?: string) => {
    stepStart = Date.now();
    progress.start(id, detail);
  };
  const end = (id: string) => (stepMs[id] = Date.now() - stepStart);

  const bundle = opts.bundle ? path.resolve(opts.cwd, opts.bundle) : undefined;
  const bundleSize = bundle ? await checkBundleReadable(bundle) : 0;

  // 1. doctor
  begin('doctor');
  const report = await runDoctor({ env: opts.env, target });
  end('doctor');
  if (report.failed || !report.engine || !report.compose) {
    const failed = report.results.filter((r) => r.status === 'fail');
    progress.fail('doctor', `${failed.length} check${failed.length === 1 ? '' : 's'} failed`);
    for (const l of failingChecks(report.results)) progress.note(l);
    throw new RegctlError('E_DOCTOR_FAILED', `preflight checks failed: ${failed.map((r) => r.check).join(', ')}; nothing was changed`, {
      fix: 'fix what the checks above name, then run regctl install again (regctl doctor shows every check)',
    });
  }
  const warns = report.results.filter((r) => r.status === 'warn');
  if (warns.length) {
    progress.warn('doctor', `${warns.length} warning${warns.length === 1 ? '' : 's'}: ${warns.map((w) => w.check).join(', ')}`);
    for (const w of warns) progress.note(`warning: ${w.check}: ${w.detail} (fix: ${w.fix})`);
  } else progress.done('doctor', `${report.results.length} checks passed; ${report.compose.flavour === 'plugin' ? 'docker compose' : 'docker-compose'} ${report.compose.version}`);
  const engine = report.engine;
  const compose: ComposeTool = report.compose;

  const running = (await projectContainers(engine.cli, target.projectName)).filter((c) => c.running);
  if (running.length && !opts.yes) {
    const question = `Harbor (project ${target.projectName}) is running with ${running.length} containers; install restarts them (short downtime, data kept). Continue?`;
    if (!deps.confirm) {
      throw new RegctlError('E_CONFIRM', `Harbor (project ${target.projectName}) is running with ${running.length} containers and install would restart them`, {
        fix: 'run again with --yes to restart it (volumes and data_volume are kept)',
      });
    }
    const confirm = deps.confirm;
    if (!(await progress.interrupt(() => confirm(question)))) throw new RegctlError('E_ABORTED', 'install cancelled; nothing was changed', { fix: 'run again and answer yes, or pass --yes' });
  }

  // a bundle that cannot be loaded stops install before anything is written
  if (bundle) await checkBundleSpace(bundle, bundleSize, engine);

  // 2. prepare
  begin('prepare');
  const prepOut = memoryOutput();
  const prepared = await deps.prepare({
    cwd: opts.cwd,
    out: prepOut,
    configPath: opts.configPath,
    installDir: opts.installDir,
    root: opts.root,
    withTrivy: opts.withTrivy,
    imagePrefix: opts.imagePrefix,
    lockDir: opts.lockDir,
    // install holds both locks from doctor to healthy
    lockHeld: true,
  });
  end('prepare');
  for (const f of prepared.findings) progress.note(formatProblem(f));
  const changedEntries = prepared.plan.filter((p) => p.change !== 'unchanged');
  const changed = changedEntries.length;
  if (prepared.wrote && changed <= 40) for (const c of changedEntries) progress.note(`  ${c.change.padEnd(7)} ${c.root}:${c.path}`);
  progress.done('prepare', prepared.wrote ? `${changed} file${changed === 1 ? '' : 's'} written in ${prepared.installDir}` : `nothing changed (${prepared.plan.length} files up to date)`);
  const stackTarget: Installation = { ...target, installDir: prepared.installDir, dataVolume: prepared.dataVolume, composeFile: prepared.composeFile };
  const stack: Stack = await openStack(stackTarget, engine.cli, compose);

  // 3. bundle
  if (bundle) {
    begin('bundle', path.basename(bundle));
    const loaded = await loadImages(engine.cli, bundle, (p) =>
      progress.update('bundle', `${path.basename(bundle)}: ${Math.floor((100 * p.bytes) / Math.max(1, p.total))}% of ${formatBytes(bundleSize)}`),
    );
    end('bundle');
    progress.done('bundle', `${loaded.length} images loaded from ${path.basename(bundle)}`);
  } else progress.skip('bundle', 'no --bundle given');

  // 4. images
  begin('images');
  const images = [...new Set(stack.services.map((s) => s.image).filter(Boolean))];
  const missing = await missingImages(engine.cli, images);
  end('images');
  if (missing.length) {
    progress.fail('images', `${missing.length} of ${images.length} missing`);
    for (const m of missing) progress.note(`missing image: ${m}`);
    throw new RegctlError('E_IMAGES_MISSING', `${missing.length} image${missing.length === 1 ? '' : 's'} named in ${prepared.composeFile} ${missing.length === 1 ? 'is' : 'are'} not present locally: ${missing.join(', ')}; the running stack was not touched`, {
      fix: `load the offline bundle with --bundle harbor.${target.release.version}.tar.gz, or \`docker pull\` them on a connected host, or point --image-prefix at a registry/namespace that has them`,
    });
  }
  progress.done('images', `all ${images.length} images present`);

  // 4b. secrets backup
  begin('backup');
  const backup = await backupSecrets(prepared.dataVolume, now());
  end('backup');
  if (!backup.path) progress.skip('backup', 'no data_volume/secret yet');
  else progress.done('backup', backup.reused ? `unchanged since ${backup.path}` : `${backup.files} files to ${backup.path}${backup.removed.length ? ` (removed ${backup.removed.length} old)` : ''}`);

  // 5. down, then up (log service first)
  begin('stop');
  await stack.project.down();
  end('stop');
  progress.done('stop', running.length ? `${running.length} containers stopped and removed` : 'nothing was running');

  begin('start');
  const upStarted = Date.now();
  const deadline = upStarted + opts.timeoutSeconds * 1000;
  let composeUpMs = 0;
  const timedUp = async (services: string[]) => {
    const t = Date.now();
    try {
      await stack.project.up(services);
    } finally {
      composeUpMs += Date.now() - t;
    }
  };
  const sink = logSinkService(stack.services);
  let unready: ServiceState[] = [];
  if (sink) {
    progress.update('start', `${sink.service} first (the others log through it)`);
    await timedUp([sink.service]);
    const logReady = await waitUntilReady(stack, { deadline, only: [sink.service] });
    if (!logReady.ready) unready = logReady.states;
  }
  if (!unready.length) await timedUp([]);
  end('start');

  // 6. wait
  let ready = false;
  let endpoints: EndpointResult[] = [];
  let containers = 0;
  if (unready.length) {
    progress.fail('start', `${sink?.containerName ?? 'log'} did not become healthy`);
  } else {
    progress.done('start', `${stack.services.length} services started`);
    begin('wait');
    const waited = await waitUntilReady(stack, { deadline, onProgress: (s) => progress.update('wait', progressLine(s)) });
    end('wait');
    containers = waited.states.length;
    if (!waited.ready) {
      unready = waited.states.filter((s) => !s.ready);
      progress.fail('wait', `timed out after ${opts.timeoutSeconds}s: ${unready.length} not ready (${unready.map((s) => s.containerName).join(', ')})`);
    } else {
      progress.done('wait', `${waited.states.length}/${waited.states.length} running${waited.states.some((s) => s.container?.health) ? ' and healthy' : ''}`);
      begin('verify');
      const probe = await probeTargetFor(target.config, { root: opts.root });
      for (;;) {
        endpoints = await checkEndpoints(probe);
        if (!endpoints.some((e) => e.status === 'fail') || Date.now() >= deadline) break;
        progress.update('verify', endpoints.filter((e) => e.status === 'fail').map((e) => `${e.check}: ${e.detail}`).join('; '));
        await new Promise((r) => setTimeout(r, 1000));
      }
      end('verify');
      const failed = endpoints.filter((e) => e.status === 'fail');
      if (failed.length) {
        progress.fail('verify', failed.map((e) => `${e.check}: ${e.detail}`).join('; '));
        unready = (await waitUntilReady(stack, { deadline: 0 })).states.filter((s) => !s.ready);
      } else {
        const w = endpoints.filter((e) => e.status === 'warn');
        if (w.length) progress.warn('verify', w.map((e) => e.detail).join('; '));
        else progress.done('verify', endpoints.map((e) => `${e.check}: ${e.detail}`).join('; '));
        ready = true;
      }
    }
  }
  const upToHealthyMs = Date.now() - upStarted;

  if (!ready) {
    progress.skipPending('not reached');
    if (!unready.length) {
      // every container is up but an endpoint fails: the proxy's and core's logs say why
      unready = (await waitUntilReady(stack, { deadline: 0, only: ['proxy', 'core'] })).states.map((s) => ({ ...s, ready: false }));
    }
    const details = await describeUnready(stack, unready, 20);
    const failedEndpoints = endpoints.filter((e) => e.status === 'fail');
    for (const e of failedEndpoints) details.unshift(`${e.check}: ${e.detail} (fix: ${e.fix})`);
    return {
      ok: false,
      url: target.config.publicUrl,
      containers,
      endpoints,
      unready: details,
      summary: [],
      backup: backup.path,
      timings: { totalMs: Date.now() - t0, composeUpMs, upToHealthyMs, steps: stepMs },
    };
  }

  // systemd unit
  let unitFile: string | undefined;
  if (opts.systemd) {
    begin('systemd');
    const sinkName = sink ? { service: sink.service, containerName: sink.containerName || sink.service } : undefined;
    const carry = Object.fromEntries(['DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT'].filter((k) => opts.env[k]).map((k) => [k, opts.env[k]!]));
    const text = renderUnit({ project: stack.project, dockerBin: engine.cli.bin, logService: sinkName, environment: carry });
    unitFile = await writeUnit(opts.root, target.projectName, text);
    end('systemd');
    progress.done('systemd', `${unitFile} (enable it: systemctl daemon-reload && systemctl enable ${path.basename(unitFile)})`);
  } else progress.skip('systemd', 'no --systemd');

  const warnings = endpoints.filter((e) => e.status === 'warn').map((e) => `${e.detail} (fix: ${e.fix})`);
  const summary = successSummary({ config: target.config, dataVolume: prepared.dataVolume, root: opts.root, containers, seconds: upToHealthyMs / 1000, warnings });
  return {
    ok: true,
    url: target.config.publicUrl,
    containers,
    endpoints,
    unready: [],
    summary,
    unitFile,
    backup: backup.path,
    timings: { totalMs: Date.now() - t0, composeUpMs, upToHealthyMs, steps: stepMs },
  };
}
