/**
 * The bundled Redis (valkey): only its data dir. Created even with external_redis, as Harbor's
 * prepare does: harmless, and ready if the bundled Redis is used again.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { REDIS } from '../types.js';

export const redisRenderer: ComponentRenderer = {
  name: 'redis',
  render(_ctx: RenderContext): RenderedEntry[] {
    return [{ kind: 'dir', root: 'data', path: 'redis', mode: 0o755, owner: REDIS, contents: 'keep' }];
  },
};
