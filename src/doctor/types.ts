/**
 * Doctor checks: each module looks at one thing and returns results with a one-line fix.
 * Checks never throw for an expected failure (engine down, port taken): that is a `fail` result.
 */
import type { Installation } from '../installation/installation.js';
import type { EngineProbe } from '../docker/engine.js';
import type { ComposeDetection } from '../docker/compose.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** short name, e.g. "docker engine", "port 443 (https)" */
  check: string;
  status: CheckStatus;
  /** what was found */
  detail: string;
  /** what to do about it ('' on pass) */
  fix: string;
}


export interface DoctorContext {
  env: NodeJS.ProcessEnv;
  /** the installation under check; absent when there is no config (host checks only) */
  target?: Installation;
  /** the compose project whose own containers may hold its ports (a re-install recreates them); default target's */
  projectName?: string;
  /** probed once, shared by the checks that need the engine */
  engine: EngineProbe;
  compose: ComposeDetection;
  /** for checks with a time (certificate validity) */
  now: Date;
  /** prefix for host files read by the host checks (/etc/hosts, /sys/fs/selinux); unset: the real / (tests point it at a temp dir) */
  hostRoot?: string;
}

export interface DoctorCheck {
  /** the name used for --json and in messages */
  name: string;
  run(ctx: DoctorContext): Promise<CheckResult[]>;
}

export const pass = (check: string, detail: string): CheckResult => ({ check, status: 'pass', detail, fix: '' });
export const warn = (check: string, detail: string, fix: string): CheckResult => ({ check, status: 'warn', detail, fix });
export const fail = (check: string, detail: string, fix: string): CheckResult => ({ check, status: 'fail', detail, fix });
