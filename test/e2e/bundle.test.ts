/**
 * Offline bundles on the real engine: `docker load` of a gzipped `docker save` with byte progress,
 * and `regctl install --bundle` refusing an unreadable file before writing anything.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describeWithDocker } from './helpers/engine.js';
import { regctl } from './helpers/cli.js';
import { makeE2eWorkspace, type E2eWorkspace } from './helpers/workspace.js';
import { ensureImageSet } from '../images/image-set.js';
import { loadImages, imagePresent } from '../../src/docker/images.js';
import { findDockerCli } from '../../src/docker/cli.js';
import { tempDir } from '../helpers/tmp.js';

describeWithDocker('offline bundle (docker load)', () => {
  let dir: string;
  let ws: E2eWorkspace;
  const tag = `regctl-test/bundle-probe:${process.pid}`;

  beforeAll(async () => {
    const images = await ensureImageSet();
    dir = await tempDir('regctl-bundle');
    ws = await makeE2eWorkspace('regctl-bundle-ws');
    await execa('docker', ['tag', images.busybox, tag]);
    await execa('sh', ['-c', `docker save "$1" | gzip -1 > "$2"`, 'sh', tag, path.join(dir, 'harbor.test.tar.gz')]);
    await execa('docker', ['rmi', tag]);
  });
  afterAll(async () => {
    await execa('docker', ['rmi', tag], { reject: false });
    await fs.rm(ws.dir, { recursive: true, force: true });
  });

  it('loads a gzipped docker save through stdin, reporting progress up to 100%', async () => {
    const cli = findDockerCli(process.env)!;
    expect(await imagePresent(cli, tag)).toBe(false);
    const seen: number[] = [];
    const loaded = await loadImages(cli, path.join(dir, 'harbor.test.tar.gz'), (p) => seen.push(p.bytes / p.total));
    expect(loaded).toEqual([tag]);
    expect(await imagePresent(cli, tag)).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('install --bundle with an unreadable file stops before prepare writes anything', async () => {
    const r = await regctl(['install', '--config', ws.configPath, '--bundle', path.join(dir, 'missing.tar.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read the bundle ${path.join(dir, 'missing.tar.gz')}: ENOENT [E_BUNDLE]`);
    expect(existsSync(path.join(ws.dir, 'docker-compose.yml'))).toBe(false);
    expect(existsSync(ws.dataDir)).toBe(false);
  });
});
