/**
 * The steps of `regctl verify`, as data: each has an id, a title, the fix shown when it fails
 * (unless the error carries its own) and a run. After a failure the remaining steps are "not
 * reached", except those marked `always` (cleanup).
 */
import { RegctlError } from '../errors.js';
import type { ProgressReporter } from '../install/progress.js';

export type VerifyStatus = 'done' | 'warn' | 'fail' | 'skip';

export interface StepOutcome {
  status?: 'done' | 'warn' | 'skip';
  detail: string;
  /** for a warning: what to do about it */
  fix?: string;
}

export interface VerifyStep<C> {
  id: string;
  title: string;
  fix: string;
  always?: boolean;
  run(ctx: C): Promise<StepOutcome>;
}

export interface StepReport {
  id: string;
  title: string;
  status: VerifyStatus;
  detail: string;
  code?: string;
  fix?: string;
}

export async function runVerifySteps<C>(steps: readonly VerifyStep<C>[], ctx: C, progress: ProgressReporter): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  let failed = false;
  for (const step of steps) {
    const base = { id: step.id, title: step.title };
    if (failed && !step.always) {
      progress.skip(step.id, 'not reached');
      reports.push({ ...base, status: 'skip', detail: 'not reached' });
      continue;
    }
    progress.start(step.id);
    try {
      const out = await step.run(ctx);
      const status = out.status ?? 'done';
      if (status === 'warn') progress.warn(step.id, out.detail);
      else if (status === 'skip') progress.skip(step.id, out.detail);
      else progress.done(step.id, out.detail);
      reports.push({ ...base, status, detail: out.detail, ...(out.fix ? { fix: out.fix } : {}) });
    } catch (err) {
      if (!(err instanceof RegctlError)) throw err;
      failed = true;
      const fix = err.fix ?? step.fix;
      progress.fail(step.id, `${err.message} (fix: ${fix})`);
      reports.push({ ...base, status: 'fail', detail: err.message, code: err.code, fix });
    }
  }
  return reports;
}
