/** The compose check on stub compose detections: plugin, standalone, missing, too old. */
import { describe, expect, it } from 'vitest';
import { composeCheck } from '../../../src/doctor/checks/compose.js';
import type { ComposeDetection } from '../../../src/docker/compose.js';
import { composeMissing, stubContext } from './stub-context.js';

describe('doctor check: compose', () => {
  it('passes naming the plugin, its version, path and why it was chosen', async () => {
    const compose: ComposeDetection = {
      ok: true,
      notes: [],
      tool: { flavour: 'plugin', version: '2.29.7', path: '/usr/libexec/docker/cli-plugins/docker-compose', argv: ['/usr/bin/docker', 'compose'], env: {}, why: 'preferred over a standalone docker-compose' },
    };
    expect(await composeCheck.run(stubContext({ compose }))).toEqual([
      { check: 'compose', status: 'pass', detail: 'docker compose plugin v2.29.7 (/usr/libexec/docker/cli-plugins/docker-compose), preferred over a standalone docker-compose', fix: '' },
    ]);
  });

  it('passes naming a standalone docker-compose', async () => {
    const compose: ComposeDetection = {
      ok: true,
      notes: ['no docker compose plugin (not installed)'],
      tool: { flavour: 'standalone', version: '1.29.2', path: '/usr/bin/docker-compose', argv: ['/usr/bin/docker-compose'], env: {}, why: 'used because the docker compose plugin is not installed' },
    };
    expect(await composeCheck.run(stubContext({ compose }))).toEqual([
      { check: 'compose', status: 'pass', detail: 'docker-compose v1.29.2 (/usr/bin/docker-compose), used because the docker compose plugin is not installed', fix: '' },
    ]);
  });

  it('fails with "install compose" when there is none', async () => {
    const [r] = await composeCheck.run(stubContext({ compose: composeMissing }));
    expect(r).toEqual({
      check: 'compose',
      status: 'fail',
      detail: 'Docker Compose is not installed: neither the `docker compose` plugin nor `docker-compose` was found',
      fix: 'install compose: the docker-compose-plugin package (Docker CE) or docker-compose (Debian/Ubuntu: apt-get install docker-compose), then re-run',
    });
  });

  it('fails with the detection message for a compose that is too old', async () => {
    const compose: ComposeDetection = {
      ok: false,
      notes: [],
      message: '/usr/bin/docker-compose is version 1.17.1; Harbor needs docker-compose 1.18.0 or newer',
      fix: 'upgrade docker-compose, or install the docker compose plugin',
    };
    expect(await composeCheck.run(stubContext({ compose }))).toEqual([
      { check: 'compose', status: 'fail', detail: '/usr/bin/docker-compose is version 1.17.1; Harbor needs docker-compose 1.18.0 or newer', fix: 'upgrade docker-compose, or install the docker compose plugin' },
    ]);
  });
});
