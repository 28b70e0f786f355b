/** The suite's one CLI helper (test/helpers/cli.ts), re-exported where the e2e suites look for it. */
import { events } from '../../helpers/cli.js';

export { regctl, events, jsonResult, type CliResult as Run } from '../../helpers/cli.js';
export { repoRoot } from '../../helpers/workspace.js';

/** the steps of a --json run's progress events that ended (done, skip, warn, fail), as "step:status", in order */
export const finishedSteps = (stdout: string): string[] =>
  events(stdout)
    .filter((e) => e.event === 'step' && ['done', 'skip', 'warn', 'fail'].includes(e.status as string))
    .map((e) => `${e.step}:${e.status}`);
