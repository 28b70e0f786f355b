/**
 * What the install steps share: the run's inputs, and what each step leaves for the ones after it.
 * A step is `{ id, run(ctx) }`; the runner (run-steps.ts) times it and reports its outcome.
 */
import type { RegctlError } from '../../errors.js';
import type { PrepareResult } from '../../prepare/types.js';
import type { DoctorReport } from '../../doctor/run.js';
import type { Installation } from '../../installation/installation.js';
import type { ContainerInfo } from '../../docker/containers.js';
import type { ComposeService } from '../../docker/compose-file.js';
import type { EngineInfo } from '../../docker/engine.js';
import type { ComposeTool } from '../../docker/compose.js';
import type { BackupResult } from '../backup.js';
import type { Stack } from '../stack.js';
import type { ServiceState } from '../health.js';
import type { EndpointResult } from '../endpoints.js';
import type { ProgressReporter } from '../progress.js';
import type { InstallDeps, InstallOptions, INSTALL_STEPS } from '../run.js';

export type InstallStepId = (typeof INSTALL_STEPS)[number]['id'];

export interface InstallContext {
  readonly opts: InstallOptions;
  readonly deps: InstallDeps;
  readonly progress: ProgressReporter;
  readonly target: Installation;
  /** when the run started (before the locks), for timings.totalMs */
  readonly t0: number;
  readonly now: () => Date;
  /** each started step's own time, by id */
  readonly stepMs: Record<string, number>;
  /** --bundle resolved against cwd, and its size */
  bundle?: { file: string; size: number };
  report?: DoctorReport;
  engine?: EngineInfo;
  compose?: ComposeTool;
  /** containers of the project that were running before install touched anything */
  running: ContainerInfo[];
  prepared?: PrepareResult;
  stack?: Stack;
  backup?: BackupResult;
  /** the service the others log through, started first */
  sink?: ComposeService;
  /** when the first `compose up` started, and the deadline it sets (--timeout) */
  upStarted: number;
  deadline: number;
  /** time spent inside `compose up -d` (all calls) */
  composeUpMs: number;
  /** from the first `compose up` until the endpoint checks passed (or failed) */
  upToHealthyMs?: number;
  /** containers that are not ready (when the run stops at start, wait or verify) */
  unready: ServiceState[];
  endpoints: EndpointResult[];
  containers: number;
  unitFile?: string;
}

/** How a step ended: the status and detail of its line, and lines printed around it. */
export interface StepOutcome {
  status: 'done' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** printed before the step's line */
  lead?: string[];
  /** printed after the step's line */
  notes?: string[];
  /** thrown once the outcome is reported: install ends with this error */
  error?: RegctlError;
  /** the table stops after this step: install is not ok (not healthy) */
  stop?: boolean;
}

export interface InstallStep {
  id: InstallStepId;
  /** a reason not to run the step at all: it is reported skipped without starting */
  skip?(ctx: InstallContext): string | undefined;
  /** checks before the step starts (no step is running, not timed) */
  before?(ctx: InstallContext): Promise<void>;
  /** the detail shown when the step starts */
  startDetail?(ctx: InstallContext): string | undefined;
  /** the step's timed work */
  run(ctx: InstallContext): Promise<StepOutcome>;
  /** after the outcome is reported (not timed) */
  after?(ctx: InstallContext, outcome: StepOutcome): Promise<void>;
}

/** A value an earlier step sets; missing means the table is out of order (a bug). */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`install steps out of order: ${what} is not set yet`);
  return value;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
