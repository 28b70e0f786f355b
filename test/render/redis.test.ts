/** The redis data dir (goharbor/harbor make/photon/prepare at v2.15.2). */
import { describe, it, expect } from 'vitest';
import { redisRenderer } from '../../src/render/components/redis.js';
import { REDIS } from '../../src/render/types.js';
import { baseModel, ctxOf } from './fixtures/model-r2.js';

describe('redis renderer', () => {
  it('only the data dir redis, 0755 999:999, also with external redis', () => {
    const expected = [{ kind: 'dir', root: 'data', path: 'redis', mode: 0o755, owner: REDIS, contents: 'keep' }];
    expect(redisRenderer.render(ctxOf(baseModel()))).toEqual(expected);
    const m = baseModel();
    m.redis.external = true;
    expect(redisRenderer.render(ctxOf(m))).toEqual(expected);
    expect(REDIS).toEqual({ uid: 999, gid: 999 });
  });
});
