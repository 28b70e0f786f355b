/**
 * The local image set: tagged with the release's image names under the test prefix, every image
 * with a HEALTHCHECK, the five stand-ins labelled as such, the real ones saying which host binary
 * they run. Rebuilding with unchanged inputs reuses every image.
 */
import { beforeAll, expect, it } from 'vitest';
import { execa } from 'execa';
import { describeWithDocker } from '../e2e/helpers/engine.js';
import { ensureImageSet, TEST_IMAGE_PREFIX, type ImageSetResult } from './image-set.js';
import { defaultRelease } from '../../src/releases/index.js';

interface ImageConfig {
  Labels: Record<string, string> | null;
  Healthcheck?: { Test: string[] };
  User: string;
}

async function config(ref: string): Promise<ImageConfig> {
  return JSON.parse((await execa('docker', ['image', 'inspect', '-f', '{{json .Config}}', ref])).stdout) as ImageConfig;
}

describeWithDocker('local image set (test/images)', () => {
  let set: ImageSetResult;
  beforeAll(async () => {
    set = await ensureImageSet({ log: (l) => console.log(`[image set] ${l}`) });
    console.log(`[image set] ready in ${set.seconds.toFixed(1)}s (${set.built.length} built, ${set.reused.length} reused)`);
  });

  it("uses the release's image names and tag under the test prefix", () => {
    for (const svc of ['proxy', 'registry', 'postgresql', 'redis', 'core', 'portal', 'jobservice', 'registryctl', 'log'] as const) {
      expect(set.refs[svc]).toBe(`${TEST_IMAGE_PREFIX}/${defaultRelease.images[svc]}:${defaultRelease.version}`);
    }
  });

  it('labels the stand-ins as stand-ins and the real images with their host binary; all have healthchecks', async () => {
    for (const svc of ['core', 'portal', 'jobservice', 'registryctl', 'log'] as const) {
      const c = await config(set.refs[svc]);
      expect(c.Labels?.['org.regctl.standin']).toBe(defaultRelease.images[svc]);
      expect(c.Labels?.['org.opencontainers.image.title']).toContain('STAND-IN');
      expect(c.Healthcheck?.Test.length).toBeGreaterThan(0);
    }
    for (const [svc, what] of [['proxy', 'nginx'], ['registry', 'docker-registry'], ['postgresql', 'PostgreSQL'], ['redis', 'redis-server']] as const) {
      const c = await config(set.refs[svc]);
      expect(c.Labels?.['org.regctl.standin']).toBeUndefined();
      expect(c.Labels?.['org.regctl.test.image']).toContain(`real ${what}`);
      expect(c.Healthcheck?.Test.length).toBeGreaterThan(0);
    }
    // Harbor's images run as uid 10000 (postgres and valkey as 999)
    expect((await config(set.refs.proxy)).User).toBe('10000');
    expect((await config(set.refs.postgresql)).User).toBe('999');
  });

  it('reuses every image when nothing changed', async () => {
    const again = await ensureImageSet();
    expect(again.built).toEqual([]);
    expect(again.reused).toHaveLength(11);
  });
});
