/** The suite's one CLI helper (test/helpers/cli.ts), re-exported where the e2e suites look for it. */
export { regctl, events, jsonResult, type CliResult as Run } from '../../helpers/cli.js';
export { repoRoot } from '../../helpers/workspace.js';
