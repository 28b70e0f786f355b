/** Steps 6 and 7: compose down (never -v), then compose up -d with the log service first. */
import { logSinkService } from '../stack.js';
import { waitUntilReady } from '../health.js';
import { need, type InstallContext, type InstallStep, type StepOutcome } from './types.js';

export const stopStep: InstallStep = {
  id: 'stop',
  async run(ctx): Promise<StepOutcome> {
    await need(ctx.stack, 'stack').project.down();
    return { status: 'done', detail: ctx.running.length ? `${ctx.running.length} containers stopped and removed` : 'nothing was running' };
  },
};

/** `compose up -d` for `services` (all when empty), its time added to ctx.composeUpMs */
async function timedUp(ctx: InstallContext, services: string[]): Promise<void> {
  const t = Date.now();
  try {
    await need(ctx.stack, 'stack').project.up(services);
  } finally {
    ctx.composeUpMs += Date.now() - t;
  }
}

export const startStep: InstallStep = {
  id: 'start',
  async run(ctx): Promise<StepOutcome> {
    const stack = need(ctx.stack, 'stack');
    ctx.upStarted = Date.now();
    ctx.deadline = ctx.upStarted + ctx.opts.timeoutSeconds * 1000;
    const sink = logSinkService(stack.services);
    ctx.sink = sink;
    if (sink) {
      ctx.progress.update('start', `${sink.service} first (the others log through it)`);
      await timedUp(ctx, [sink.service]);
      const logReady = await waitUntilReady(stack, { deadline: ctx.deadline, only: [sink.service] });
      if (!logReady.ready) ctx.unready = logReady.states;
    }
    if (ctx.unready.length) return { status: 'fail', detail: `${sink?.containerName ?? 'log'} did not become healthy`, stop: true };
    await timedUp(ctx, []);
    return { status: 'done', detail: `${stack.services.length} services started` };
  },
};
