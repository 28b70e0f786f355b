/** The docker cli check on stub engine probes. */
import { describe, expect, it } from 'vitest';
import { dockerCliCheck } from '../../../src/doctor/checks/docker-cli.js';
import { engineCliMissing, engineUnreachable, engineUp, stubContext } from './stub-context.js';

describe('doctor check: docker cli', () => {
  it('passes naming the CLI path and client version when the engine answers', async () => {
    const results = await dockerCliCheck.run(stubContext({ engine: engineUp({ cli: { bin: '/opt/docker/bin/docker', env: {} }, clientVersion: '27.3.1' }) }));
    expect(results).toEqual([{ check: 'docker cli', status: 'pass', detail: '/opt/docker/bin/docker, client 27.3.1', fix: '' }]);
  });

  it('fails with the probe message and fix when there is no docker command', async () => {
    const results = await dockerCliCheck.run(stubContext({ engine: engineCliMissing }));
    expect(results).toEqual([
      {
        check: 'docker cli',
        status: 'fail',
        detail: 'the docker command is not installed (not found on PATH)',
        fix: 'install Docker Engine 20.10.10 or newer (Debian/Ubuntu: apt-get install docker.io), then re-run',
      },
    ]);
  });

  it('still passes when the CLI is there but the engine is not (that is the engine check)', async () => {
    const results = await dockerCliCheck.run(stubContext({ engine: engineUnreachable }));
    expect(results).toEqual([{ check: 'docker cli', status: 'pass', detail: '/usr/bin/docker, client 24.0.7', fix: '' }]);
  });

  it('says "client unknown" when the unreachable probe has no client version', async () => {
    const { cli: _cli, clientVersion: _v, ...bare } = engineUnreachable as Extract<typeof engineUnreachable, { ok: false }>;
    const results = await dockerCliCheck.run(stubContext({ engine: { ...bare, code: 'E_ENGINE_PERMISSION' } }));
    expect(results).toEqual([{ check: 'docker cli', status: 'pass', detail: 'docker, client unknown', fix: '' }]);
  });
});
