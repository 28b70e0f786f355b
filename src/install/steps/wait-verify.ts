/** Steps 8 and 9: wait until every container is running and healthy, then check Harbor through its proxy. */
import { waitUntilReady, progressLine } from '../health.js';
import { probeTargetFor, waitForEndpoints, failingEndpoints, describeEndpoints } from '../endpoints.js';
import { need, type InstallStep, type StepOutcome } from './types.js';

export const waitStep: InstallStep = {
  id: 'wait',
  async run(ctx): Promise<StepOutcome> {
    const waited = await waitUntilReady(need(ctx.stack, 'stack'), { deadline: ctx.deadline, onProgress: (s) => ctx.progress.update('wait', progressLine(s)) });
    ctx.containers = waited.states.length;
    if (!waited.ready) {
      ctx.unready = waited.states.filter((s) => !s.ready);
      return { status: 'fail', detail: `timed out after ${ctx.opts.timeoutSeconds}s: ${ctx.unready.length} not ready (${ctx.unready.map((s) => s.containerName).join(', ')})`, stop: true };
    }
    const n = waited.states.length;
    return { status: 'done', detail: `${n}/${n} running${waited.states.some((s) => s.container?.health) ? ' and healthy' : ''}` };
  },
};

const failures = failingEndpoints;
const describe = describeEndpoints;

export const verifyStep: InstallStep = {
  id: 'verify',
  async run(ctx): Promise<StepOutcome> {
    const probe = await probeTargetFor(ctx.target.config, { root: ctx.opts.root });
    ctx.endpoints = await waitForEndpoints(probe, { deadline: ctx.deadline, notary: Boolean(ctx.opts.withNotary), onFailing: (d) => ctx.progress.update('verify', d) });
    const failed = failures(ctx.endpoints);
    if (failed.length) return { status: 'fail', detail: describe(failed), stop: true };
    const warned = ctx.endpoints.filter((e) => e.status === 'warn');
    if (warned.length) return { status: 'warn', detail: warned.map((e) => e.detail).join('; ') };
    return { status: 'done', detail: describe(ctx.endpoints) };
  },
  async after(ctx, outcome) {
    // an endpoint fails: what is not ready says why
    if (outcome.status === 'fail') ctx.unready = (await waitUntilReady(need(ctx.stack, 'stack'), { deadline: 0 })).states.filter((s) => !s.ready);
    ctx.upToHealthyMs = Date.now() - ctx.upStarted;
  },
};
