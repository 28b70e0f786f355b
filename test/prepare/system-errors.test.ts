/**
 * A full disk, a read-only filesystem and a file where the install dir should be each come out
 * as what they are (own code, exit 1 or 2, a fix), not "internal failure: this is a bug", and
 * leave nothing behind in the install dir. The filesystems are real tmpfs mounts inside a private
 * mount namespace (unshare -m), so the host's mounts are never touched.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.js';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { repoRoot } from '../helpers/workspace.js';

const ws = makeWorkspace();
afterAll(() => ws.cleanup());

const LISTING = '--- listing ---';

/** regctl prepare inside a private mount namespace after `mount` ran there; then what the dir holds. */
async function prepareWithMount(mountScript: string, installDir: string, listDir = installDir) {
  const cli = [process.execPath, path.join(repoRoot, 'bin', 'regctl'), 'prepare', '--config', ws.configPath, '--install-dir', installDir, '--json'];
  const script = `${mountScript} || exit 99; "$@"; rc=$?; echo '${LISTING}'; find ${listDir} -mindepth 1 -printf '%P %s %y\\n' | sort; exit $rc`;
  const r = await execa('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', ...cli], { reject: false });
  const [stdout, listing] = String(r.stdout).split(LISTING);
  return { code: r.exitCode, stdout: stdout!.trim(), stderr: String(r.stderr), listing: (listing ?? '').trim().split('\n').filter(Boolean) };
}

describe('system errors during prepare', () => {
  it('a full disk (16 KiB tmpfs as install dir): E_DISK_FULL, exit 1, no staging or half tree left', async () => {
    const dir = path.join(ws.dir, 'small');
    mkdirSync(dir);
    const r = await prepareWithMount(`mount -t tmpfs -o size=16k tmpfs ${dir} && echo marker > ${dir}/operator-file`, dir);
    expect(r.code, r.stderr).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error).toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining('the disk is full') });
    expect(env.error?.fix).toContain('df -h');
    expect(r.stdout + r.stderr).not.toMatch(/E_INTERNAL|bug in regctl/);
    // the staged files were cleaned up: the filesystem holds what it held before
    expect(r.listing).toEqual(['operator-file 7 f']);
  });

  it('a full disk while the secrets are created (data_volume on a nearly full tmpfs): E_DISK_FULL, no empty or partial secret left for the next run to keep', async () => {
    const r = await prepareWithMount(
      `mkdir -p ${ws.dataDir} && mount -t tmpfs -o size=12k tmpfs ${ws.dataDir} && head -c 8192 /dev/zero > ${ws.dataDir}/filler`,
      path.join(ws.dir, 'install-secrets-full'),
      ws.dataDir,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(jsonResult(r.stdout).error).toMatchObject({ code: 'E_DISK_FULL' });
    expect(r.stdout + r.stderr).not.toMatch(/E_INTERNAL|bug in regctl/);
    // no zero-length or truncated key, secretkey or temp file: the filler is the only file
    expect(r.listing.filter((l) => l.endsWith(' f'))).toEqual(['filler 8192 f']);
  });

  it('a read-only filesystem: E_READ_ONLY_FS, exit 1', async () => {
    const dir = path.join(ws.dir, 'ro');
    mkdirSync(dir);
    const r = await prepareWithMount(`mount -t tmpfs tmpfs ${dir} && mount -o remount,ro ${dir}`, dir);
    expect(r.code, r.stderr).toBe(1);
    expect(jsonResult(r.stdout).error).toMatchObject({ code: 'E_READ_ONLY_FS', message: expect.stringContaining('read-only') });
  });

  it('a regular file where the install dir should be: E_NOT_A_DIRECTORY, exit 2, the file untouched', async () => {
    const file = path.join(ws.dir, 'not-a-dir');
    writeFileSync(file, 'operator notes\n');
    const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', path.join(file, 'harbor'), '--json']);
    expect(r.code, r.stderr).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_NOT_A_DIRECTORY');
    expect(readdirSync(ws.dir)).toContain('not-a-dir');
    expect(existsSync(path.join(ws.dir, 'not-a-dir'))).toBe(true);
  });
});
