/** Step 1: the preflight checks (regctl doctor); nothing runs when one fails. */
import path from 'node:path';
import { RegctlError } from '../../errors.js';
import { runDoctor } from '../../doctor/run.js';
import { formatResults } from '../../doctor/report.js';
import type { CheckResult } from '../../doctor/types.js';
import { checkBundleReadable } from './images.js';
import { plural, type InstallStep, type StepOutcome } from './types.js';

function failingChecks(results: CheckResult[]): string[] {
  return formatResults(results.filter((r) => r.status === 'fail'));
}

export const doctorStep: InstallStep = {
  id: 'doctor',
  // a --bundle that cannot be read is bad input: rejected before anything runs
  async before(ctx) {
    if (!ctx.opts.bundle) return;
    const file = path.resolve(ctx.opts.cwd, ctx.opts.bundle);
    ctx.bundle = { file, size: await checkBundleReadable(file) };
  },
  async run(ctx): Promise<StepOutcome> {
    const report = await runDoctor({ env: ctx.opts.env, target: ctx.target });
    ctx.report = report;
    if (report.failed || !report.engine || !report.compose) {
      const failed = report.results.filter((r) => r.status === 'fail');
      return {
        status: 'fail',
        detail: `${plural(failed.length, 'check')} failed`,
        notes: failingChecks(report.results),
        error: new RegctlError('E_DOCTOR_FAILED', `preflight checks failed: ${failed.map((r) => r.check).join(', ')}; nothing was changed`, {
          fix: 'fix what the checks above name, then run regctl install again (regctl doctor shows every check)',
        }),
      };
    }
    ctx.engine = report.engine;
    ctx.compose = report.compose;
    const warns = report.results.filter((r) => r.status === 'warn');
    if (warns.length) {
      return {
        status: 'warn',
        detail: `${plural(warns.length, 'warning')}: ${warns.map((w) => w.check).join(', ')}`,
        notes: warns.map((w) => `warning: ${w.check}: ${w.detail} (fix: ${w.fix})`),
      };
    }
    const tool = report.compose.flavour === 'plugin' ? 'docker compose' : 'docker-compose';
    return { status: 'done', detail: `${report.results.length} checks passed; ${tool} ${report.compose.version}` };
  },
};
