/**
 * `regctl install`: check first, start second, prove the result.
 *
 *   doctor → prepare → [bundle] → images present → back up secrets → compose down (never -v) →
 *   compose up -d (log service first) → wait for running + healthy → health and /v2/ through the
 *   proxy → [systemd unit] → summary.
 *
 * Nothing touches running containers before the images are known to be there, nothing is deleted
 * on failure, and success is only printed after the endpoint checks passed.
 *
 * Each step is a `{ id, run(ctx) }` module under steps/; steps/run-steps.ts runs the table below in
 * order, times each step and reports it on the progress display.
 */
import type { PrepareResult, PrepareRunOptions } from '../prepare/types.js';
import { resolveInstallation } from '../installation/installation.js';
import type { Installation } from '../installation/installation.js';
import { describeUnready, waitUntilReady } from './health.js';
import type { EndpointResult } from './endpoints.js';
import { successSummary } from './summary.js';
import type { ProgressReporter } from './progress.js';
import { lockPaths } from '../util/run-lock.js';
import { need, type InstallContext, type InstallStep } from './steps/types.js';
import { runSteps } from './steps/run-steps.js';
import { doctorStep } from './steps/doctor.js';
import { prepareStep } from './steps/prepare.js';
import { bundleStep, imagesStep } from './steps/images.js';
import { backupStep } from './steps/backup.js';
import { stopStep, startStep } from './steps/start.js';
import { waitStep, verifyStep } from './steps/wait-verify.js';
import { systemdStep } from './steps/systemd.js';

export interface InstallOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  configPath?: string;
  installDir?: string;
  root?: string;
  withTrivy: boolean;
  /** --with-notary (the 2.8 line) */
  withNotary?: boolean;
  /** --harbor-version */
  harborVersion?: string;
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

/** One install at a time per install dir and data_volume, held from doctor to healthy (prepare takes it again). */
export async function runInstall(opts: InstallOptions, deps: InstallDeps, progress: ProgressReporter): Promise<InstallResult> {
  const t0 = Date.now();
  // config warnings are printed once, by prepare (with file, line and fix)
  const { target } = await resolveInstallation({ cwd: opts.cwd, configPath: opts.configPath, installDir: opts.installDir, root: opts.root, withTrivy: opts.withTrivy, withNotary: opts.withNotary, harborVersion: opts.harborVersion });
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

/** The steps in INSTALL_STEPS order; the runner times them and reports them on `progress`. */
const STEP_TABLE: readonly InstallStep[] = [doctorStep, prepareStep, bundleStep, imagesStep, backupStep, stopStep, startStep, waitStep, verifyStep, systemdStep];

async function installLocked(opts: InstallOptions, deps: InstallDeps, progress: ProgressReporter, target: Installation, t0: number): Promise<InstallResult> {
  const ctx: InstallContext = {
    opts,
    deps,
    progress,
    target,
    t0,
    now: deps.now ?? (() => new Date()),
    stepMs: {},
    running: [],
    upStarted: 0,
    deadline: 0,
    composeUpMs: 0,
    unready: [],
    endpoints: [],
    containers: 0,
  };
  return (await runSteps(STEP_TABLE, ctx)) ? healthyResult(ctx) : notHealthyResult(ctx);
}

function timings(ctx: InstallContext, upToHealthyMs: number): InstallTimings {
  return { totalMs: Date.now() - ctx.t0, composeUpMs: ctx.composeUpMs, upToHealthyMs, steps: ctx.stepMs };
}

/** The run stopped at start, wait or verify: each container that is not ready, with its logs. */
async function notHealthyResult(ctx: InstallContext): Promise<InstallResult> {
  const upToHealthyMs = ctx.upToHealthyMs ?? Date.now() - ctx.upStarted;
  const stack = need(ctx.stack, 'stack');
  ctx.progress.skipPending('not reached');
  let unready = ctx.unready;
  if (!unready.length) {
    // every container is up but an endpoint fails: the proxy's and core's logs say why
    unready = (await waitUntilReady(stack, { deadline: 0, only: ['proxy', 'core'] })).states.map((s) => ({ ...s, ready: false }));
  }
  const details = await describeUnready(stack, unready, 20);
  const failedEndpoints = ctx.endpoints.filter((e) => e.status === 'fail');
  for (const e of failedEndpoints) details.unshift(`${e.check}: ${e.detail} (fix: ${e.fix})`);
  return {
    ok: false,
    url: ctx.target.config.publicUrl,
    containers: ctx.containers,
    endpoints: ctx.endpoints,
    unready: details,
    summary: [],
    backup: ctx.backup?.path,
    timings: timings(ctx, upToHealthyMs),
  };
}

function healthyResult(ctx: InstallContext): InstallResult {
  const upToHealthyMs = need(ctx.upToHealthyMs, 'upToHealthyMs');
  const warnings = ctx.endpoints.filter((e) => e.status === 'warn').map((e) => `${e.detail} (fix: ${e.fix})`);
  const summary = successSummary({
    config: ctx.target.config,
    dataVolume: need(ctx.prepared, 'prepared').dataVolume,
    root: ctx.opts.root,
    containers: ctx.containers,
    seconds: upToHealthyMs / 1000,
    warnings,
  });
  return {
    ok: true,
    url: ctx.target.config.publicUrl,
    containers: ctx.containers,
    endpoints: ctx.endpoints,
    unready: [],
    summary,
    unitFile: ctx.unitFile,
    backup: ctx.backup?.path,
    timings: timings(ctx, upToHealthyMs),
  };
}
