/**
 * Runs the install step table in order: for each step the skip reason or its `before` checks, then
 * progress.start, the timed work (ctx.stepMs[id]), its outcome on the progress display, and its
 * `after`. A step's error ends the run (after its line says so); a step that stops the table ends it
 * as not ok.
 */
import type { ProgressReporter } from '../progress.js';
import type { InstallContext, InstallStep, StepOutcome } from './types.js';

function report(progress: ProgressReporter, id: string, outcome: StepOutcome): void {
  for (const line of outcome.lead ?? []) progress.note(line);
  progress[outcome.status](id, outcome.detail);
  for (const line of outcome.notes ?? []) progress.note(line);
}

/** true when every step ran (or was skipped); false when one stopped the table */
export async function runSteps(steps: readonly InstallStep[], ctx: InstallContext): Promise<boolean> {
  for (const step of steps) {
    const reason = step.skip?.(ctx);
    if (reason !== undefined) {
      ctx.progress.skip(step.id, reason);
      continue;
    }
    await step.before?.(ctx);
    const started = Date.now();
    ctx.progress.start(step.id, step.startDetail?.(ctx));
    const outcome = await step.run(ctx);
    ctx.stepMs[step.id] = Date.now() - started;
    report(ctx.progress, step.id, outcome);
    if (outcome.error) throw outcome.error;
    await step.after?.(ctx, outcome);
    if (outcome.stop) return false;
  }
  return true;
}
