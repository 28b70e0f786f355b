/**
 * withProgress (commands/progress-run.ts): what install, install --verify, backup, restore and
 * upgrade run their steps under. On a throw the running step is marked failed with the error's
 * message and the pending ones "not reached", the error goes on to the command's one error path.
 */
import { describe, expect, it } from 'vitest';
import { withProgress } from '../../src/commands/progress-run.js';
import { RegctlError } from '../../src/errors.js';
import type { CliContext } from '../../src/commands/context.js';

const STEPS = [
  { id: 'connect', title: 'connect' },
  { id: 'push', title: 'push the probe' },
  { id: 'cleanup', title: 'clean up' },
] as const;

function capture(): { ctx: CliContext; events: () => Record<string, unknown>[]; text: () => string } {
  const lines: string[] = [];
  let raw = '';
  const ctx: CliContext = {
    out: { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l), event: (v) => lines.push(JSON.stringify(v)) },
    cwd: '/',
    env: {},
    isTTY: false,
    write: (t) => void (raw += t),
    writeErr: () => {},
    columns: () => 100,
  };
  const all = () => [...lines, ...raw.split('\n')].filter(Boolean);
  return {
    ctx,
    text: () => all().join('\n'),
    events: () => all().flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    }),
  };
}

describe('withProgress', () => {
  it('returns what the body returns, with each step as the body reported it', async () => {
    const c = capture();
    const got = await withProgress(c.ctx, true, STEPS, async (p) => {
      for (const s of STEPS) {
        p.start(s.id);
        p.done(s.id, `${s.id} ok`);
      }
      return 42;
    });
    expect(got).toBe(42);
    const finished = c.events().filter((e) => e.event === 'step' && ['done', 'warn', 'skip', 'fail'].includes(e.status as string)).map((e) => `${e.step}:${e.status}`);
    expect(finished).toEqual(['connect:done', 'push:done', 'cleanup:done']);
  });

  it('on a throw: the running step fails with the message, the rest are not reached, and the error is rethrown', async () => {
    const c = capture();
    const err = new RegctlError('E_VERIFY_PUSH', 'push of the probe failed: x509: certificate signed by unknown authority', { fix: 'regctl cert trust' });
    await expect(
      withProgress(c.ctx, true, STEPS, async (p) => {
        p.start('connect');
        p.done('connect', 'https, Bearer');
        p.start('push');
        throw err;
      }),
    ).rejects.toBe(err);
    const last = new Map(c.events().filter((e) => e.event === 'step').map((e) => [e.step, e]));
    expect(last.get('connect')).toMatchObject({ status: 'done' });
    expect(last.get('push')).toMatchObject({ status: 'fail' });
    expect(JSON.stringify(last.get('push'))).toContain('x509: certificate signed by unknown authority');
    expect(last.get('cleanup')).toMatchObject({ status: 'skip' });
    expect(JSON.stringify(last.get('cleanup'))).toContain('not reached');
  });

  it('in plain text mode: the failed step is printed with the reason, and no later step started', async () => {
    const c = capture();
    await withProgress(c.ctx, false, STEPS, async (p) => {
      p.start('connect');
      throw new Error('boom');
    }).catch(() => undefined);
    expect(c.text()).toMatch(/^\[1\/3\] connect \.\.\.\n\[1\/3\] connect: FAILED: internal error \(\d+\.\ds\)$/);
  });
});
