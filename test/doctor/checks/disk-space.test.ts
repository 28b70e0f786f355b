/**
 * The disk space check with a stub context, measured on real directories. The 10 GiB threshold
 * is a constant: temp dirs get whatever this disk has (the tests pin the shape), and the warning
 * is shown on /proc, a real filesystem with no free blocks.
 */
import { describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { diskSpaceCheck, existingAncestor, formatBytes, LOW_SPACE_BYTES } from '../../../src/doctor/checks/disk-space.js';
import { engineUnreachable, engineUp, stubContext, useScratch } from './stub-context.js';

const freeAt = async (p: string) => {
  const st = await statfs(p);
  return Number(st.bavail) * Number(st.bsize);
};
const size = String.raw`\d+(\.\d)? (B|KiB|MiB|GiB|TiB)`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('doctor check: disk space', () => {
  const scratch = useScratch();

  it('has nothing to measure with no target and the engine down', async () => {
    expect(await diskSpaceCheck.run(stubContext({ engine: engineUnreachable }))).toEqual([]);
  });

  it('measures an existing data_volume and the engine root dir', async () => {
    const { target } = await scratch.target();
    await mkdir(target.dataVolume, { recursive: true });
    const rootDir = await scratch.tempDir();
    const results = await diskSpaceCheck.run(stubContext({ target, engine: engineUp({ rootDir }) }));
    expect(results.map((r) => r.check)).toEqual(['disk space (data_volume)', 'disk space (docker root)']);
    const [data, docker] = results;
    expect(data!.detail).toMatch(new RegExp(`^${size} free for data_volume \\(${esc(target.dataVolume)}\\)$`));
    expect(docker!.detail).toMatch(new RegExp(`^${size} free for Docker's root dir \\(${esc(rootDir)}\\)$`));
    const expected = (await freeAt(rootDir)) < LOW_SPACE_BYTES ? 'warn' : 'pass';
    expect(data!.status).toBe(expected);
    expect(docker!.status).toBe(expected);
    if (expected === 'pass') expect(data!.fix).toBe('');
    else expect(data!.fix).toBe(`free space under ${target.dataVolume}, or move data_volume to a larger disk (Harbor's images and data need at least 10 GiB)`);
  });

  it('measures a data_volume that does not exist yet at its nearest existing parent', async () => {
    const base = await scratch.tempDir();
    const { target: t } = await scratch.target();
    const target = { ...t, dataVolume: path.join(base, 'not', 'yet', 'data') };
    expect(await existingAncestor(target.dataVolume)).toBe(base);
    const results = await diskSpaceCheck.run(stubContext({ target, engine: engineUnreachable }));
    expect(results).toHaveLength(1);
    expect(results[0]!.check).toBe('disk space (data_volume)');
    expect(results[0]!.detail).toMatch(new RegExp(`^${size} free for data_volume \\(${esc(target.dataVolume)}, measured at ${esc(base)}\\)$`));
  });

  it('warns under 10 GiB: a Docker root dir on a filesystem with no free blocks (/proc)', async () => {
    expect(await freeAt('/proc')).toBe(0);
    const results = await diskSpaceCheck.run(stubContext({ engine: engineUp({ rootDir: '/proc' }) }));
    expect(results).toEqual([
      {
        check: 'disk space (docker root)',
        status: 'warn',
        detail: "0 B free for Docker's root dir (/proc)",
        fix: "free space under /proc, or move Docker's root dir to a larger disk (Harbor's images and data need at least 10 GiB)",
      },
    ]);
  });

  it('formats sizes the way the detail shows them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(10 * 1024 ** 3)).toBe('10 GiB');
    expect(formatBytes(9.5 * 1024 ** 3)).toBe('9.5 GiB');
  });
});
