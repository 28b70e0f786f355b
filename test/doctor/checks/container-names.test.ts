/**
 * The container names check with a stub context. Only the branches that do not run docker: no
 * target, and the engine down (the engine-up branch is covered by test/doctor/doctor.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { containerNamesCheck } from '../../../src/doctor/checks/container-names.js';
import { engineCliMissing, engineUnreachable, engineUp, stubContext, useScratch } from './stub-context.js';

describe('doctor check: container names', () => {
  const scratch = useScratch();

  it('has nothing to check without a target, even with the engine up', async () => {
    expect(await containerNamesCheck.run(stubContext({ engine: engineUp() }))).toEqual([]);
  });

  it('warns "not checked" when the engine is unreachable, pointing at the engine check', async () => {
    const { target } = await scratch.target();
    expect(await containerNamesCheck.run(stubContext({ target, engine: engineUnreachable }))).toEqual([
      { check: 'container names', status: 'warn', detail: 'not checked: the Docker engine is not reachable', fix: 'fix the docker engine check first' },
    ]);
  });

  it('warns "not checked" when there is no docker CLI at all', async () => {
    const { target } = await scratch.target();
    const [r] = await containerNamesCheck.run(stubContext({ target, engine: engineCliMissing }));
    expect(r).toMatchObject({ status: 'warn', detail: 'not checked: the Docker engine is not reachable' });
  });
});
