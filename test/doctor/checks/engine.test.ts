/** The docker engine check on stub engine probes: down (no CLI, unreachable), too old, current. */
import { describe, expect, it } from 'vitest';
import { engineCheck } from '../../../src/doctor/checks/engine.js';
import { engineCliMissing, engineUnreachable, engineUp, stubContext } from './stub-context.js';

describe('doctor check: docker engine', () => {
  it('passes naming the server version and the default socket', async () => {
    const results = await engineCheck.run(stubContext({ engine: engineUp({ serverVersion: '24.0.7' }) }));
    expect(results).toEqual([{ check: 'docker engine', status: 'pass', detail: 'Docker Engine 24.0.7, reachable at unix:///var/run/docker.sock', fix: '' }]);
  });

  it('says the endpoint came from DOCKER_HOST', async () => {
    const results = await engineCheck.run(stubContext({ engine: engineUp({ serverVersion: '26.1.0', endpoint: { url: 'tcp://10.0.0.5:2376', source: 'DOCKER_HOST' } }) }));
    expect(results).toEqual([{ check: 'docker engine', status: 'pass', detail: 'Docker Engine 26.1.0, reachable at tcp://10.0.0.5:2376 (DOCKER_HOST)', fix: '' }]);
  });

  it('passes at exactly the documented minimum, 20.10.10', async () => {
    const [r] = await engineCheck.run(stubContext({ engine: engineUp({ serverVersion: '20.10.10' }) }));
    expect(r).toMatchObject({ status: 'pass', detail: 'Docker Engine 20.10.10, reachable at unix:///var/run/docker.sock' });
  });

  it('warns about an engine older than 20.10.10', async () => {
    const results = await engineCheck.run(stubContext({ engine: engineUp({ serverVersion: '20.10.9' }) }));
    expect(results).toEqual([
      {
        check: 'docker engine',
        status: 'warn',
        detail: 'Docker Engine 20.10.9 at unix:///var/run/docker.sock; Harbor is tested with 20.10.10 or newer',
        fix: 'upgrade Docker Engine to 20.10.10 or newer',
      },
    ]);
  });

  it('warns when the server version cannot be read as a version', async () => {
    const [r] = await engineCheck.run(stubContext({ engine: engineUp({ serverVersion: 'dev', endpoint: { url: 'unix:///tmp/d.sock', source: 'DOCKER_HOST' } }) }));
    expect(r).toMatchObject({ status: 'warn', detail: 'Docker Engine dev at unix:///tmp/d.sock (DOCKER_HOST); Harbor is tested with 20.10.10 or newer' });
  });

  it('fails with the probe message and fix when the engine is unreachable', async () => {
    const results = await engineCheck.run(stubContext({ engine: engineUnreachable }));
    expect(results).toEqual([
      { check: 'docker engine', status: 'fail', detail: 'no Docker engine socket at /run/nowhere.sock: the engine is not running', fix: 'start dockerd, or unset/correct DOCKER_HOST' },
    ]);
  });

  it('fails as "not checked" when there is no docker CLI, with the install fix', async () => {
    const results = await engineCheck.run(stubContext({ engine: engineCliMissing }));
    expect(results).toEqual([
      { check: 'docker engine', status: 'fail', detail: 'not checked: no docker CLI', fix: 'install Docker Engine 20.10.10 or newer (Debian/Ubuntu: apt-get install docker.io), then re-run' },
    ]);
  });
});
