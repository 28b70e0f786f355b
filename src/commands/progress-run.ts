/** A use-case with a step list on the progress display (tty, plain or JSON Lines), as install does. */
import type { CliContext } from './context.js';
import { RegctlError } from '../errors.js';
import { createReporter, type ProgressMode, type ProgressReporter } from '../install/progress.js';

export async function withProgress<T>(ctx: CliContext, json: boolean | undefined, steps: readonly { id: string; title: string }[], body: (p: ProgressReporter) => Promise<T>): Promise<T> {
  const mode: ProgressMode = json ? 'json' : ctx.isTTY ? 'tty' : 'plain';
  const reporter = createReporter(mode, steps.map((s) => ({ ...s })), {
    print: (l) => ctx.out.info(l),
    write: (t) => ctx.write(t),
    columns: () => ctx.columns() || 100,
  });
  try {
    return await body(reporter);
  } catch (err) {
    reporter.failRunning(err instanceof RegctlError ? err.message : 'internal error');
    reporter.skipPending('not reached');
    throw err;
  } finally {
    reporter.close();
  }
}
