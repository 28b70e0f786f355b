/** The install step runner: skip without starting, before → start → run → line → after, errors and stops. */
import { describe, expect, it } from 'vitest';
import { RegctlError } from '../../src/errors.js';
import { runSteps } from '../../src/install/steps/run-steps.js';
import type { InstallContext, InstallStep } from '../../src/install/steps/types.js';
import type { ProgressReporter } from '../../src/install/progress.js';

function recorder(): { calls: string[]; progress: ProgressReporter } {
  const calls: string[] = [];
  const rec = (name: string) => (id: string, detail?: string) => calls.push(`${name} ${id}${detail ? `: ${detail}` : ''}`);
  const progress = {
    start: rec('start'),
    update: rec('update'),
    done: rec('done'),
    warn: rec('warn'),
    fail: rec('fail'),
    skip: rec('skip'),
    note: (l: string) => calls.push(`note ${l}`),
  } as unknown as ProgressReporter;
  return { calls, progress };
}

function context(progress: ProgressReporter): InstallContext {
  return { progress, stepMs: {} } as unknown as InstallContext;
}

describe('runSteps', () => {
  it('runs each step in order, times only the started ones, and reports lead, line and notes', async () => {
    const { calls, progress } = recorder();
    const ctx = context(progress);
    const steps: InstallStep[] = [
      { id: 'doctor', before: async () => void calls.push('before doctor'), run: async () => ({ status: 'warn', detail: '1 warning', notes: ['warning: x'] }) },
      { id: 'bundle', skip: () => 'no --bundle given', run: async () => ({ status: 'done', detail: 'never' }) },
      { id: 'prepare', startDetail: () => 'cfg', run: async () => ({ status: 'done', detail: '2 files', lead: ['  new a'] }), after: async () => void calls.push('after prepare') },
      { id: 'backup', run: async () => ({ status: 'skip', detail: 'no data_volume/secret yet' }) },
    ];
    expect(await runSteps(steps, ctx)).toBe(true);
    expect(calls).toEqual([
      'before doctor',
      'start doctor',
      'warn doctor: 1 warning',
      'note warning: x',
      'skip bundle: no --bundle given',
      'start prepare: cfg',
      'note   new a',
      'done prepare: 2 files',
      'after prepare',
      'start backup',
      'skip backup: no data_volume/secret yet',
    ]);
    expect(Object.keys(ctx.stepMs)).toEqual(['doctor', 'prepare', 'backup']);
  });

  it('throws a step error after its line, and stops the table (false) after a stopping step', async () => {
    const { calls, progress } = recorder();
    const error = new RegctlError('E_IMAGES_MISSING', 'missing');
    const failing: InstallStep[] = [
      { id: 'images', run: async () => ({ status: 'fail', detail: '1 of 2 missing', notes: ['missing image: a'], error }), after: async () => void calls.push('after') },
      { id: 'backup', run: async () => ({ status: 'done', detail: 'never' }) },
    ];
    await expect(runSteps(failing, context(progress))).rejects.toBe(error);
    expect(calls).toEqual(['start images', 'fail images: 1 of 2 missing', 'note missing image: a']);

    calls.length = 0;
    const stopping: InstallStep[] = [
      { id: 'wait', run: async () => ({ status: 'fail', detail: 'timed out', stop: true }), after: async () => void calls.push('after wait') },
      { id: 'verify', run: async () => ({ status: 'done', detail: 'never' }) },
    ];
    expect(await runSteps(stopping, context(progress))).toBe(false);
    expect(calls).toEqual(['start wait', 'fail wait: timed out', 'after wait']);
  });
});
