/**
 * The bundled Redis (valkey): only its data dir. Created even with external_redis, as Harbor's
 * prepare does: harmless, and ready if the bundled Redis is used again.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { REDIS } from '../types.js';
import type { ComposeServiceSpec } from '../compose/service.js';

/** redis: the bundled cache and job queue (valkey since v2.15.2), unless redis is external. */
export const redisService: ComposeServiceSpec = {
  name: 'redis',
  containerName: 'redis',
  image: 'redis',
  noProxy: ['redis'],
  deployed: ({ config }) => !config.redis.external,
  body: ({ config }) => ({
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [`${config.dataVolume}/redis:/var/lib/redis`],
    networkMapping: true,
    depends_on: ['log'],
  }),
};

export const redisRenderer: ComponentRenderer = {
  name: 'redis',
  service: redisService,
  render(_ctx: RenderContext): RenderedEntry[] {
    return [{ kind: 'dir', root: 'data', path: 'redis', mode: 0o755, owner: REDIS, contents: 'keep' }];
  },
};
