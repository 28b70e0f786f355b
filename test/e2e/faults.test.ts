/**
 * Faults on the real engine, each followed by proof that data_volume/secret (and the data) are
 * intact: missing images stop install before it touches the running stack; a port taken by some
 * other process stops it at the doctor, naming the port and the process; an unreachable engine
 * gives a clear message; a crashing harbor-core STAND-IN (asked to crash through a file in
 * data_volume/ca_download) makes install time out with that container and its log lines, and nothing is
 * removed; without the fault the next install is healthy again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, promises as fs, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, events, repoRoot, jsonResult } from './helpers/cli.js';
import { makeE2eWorkspace, treeHash, containerStates, projectOf, type E2eWorkspace, removeE2eWorkspace } from './helpers/workspace.js';
import { ensureImageSet, TEST_IMAGE_PREFIX, testClusterDir } from '../images/image-set.js';

describeWithDocker('e2e faults: images missing, port taken, engine down, crashing component', () => {
  let ws: E2eWorkspace;
  let release: () => Promise<void> = async () => {};
  let secrets = '';
  const base = () => ['--config', ws.configPath];
  const install = (extra: string[] = [], env?: NodeJS.ProcessEnv) =>
    regctl(['install', ...base(), '--image-prefix', TEST_IMAGE_PREFIX, '--yes', ...extra], { env });
  const expectDataIntact = async () => {
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secrets);
    expect(existsSync(path.join(ws.dataDir, 'database', testClusterDir(), 'PG_VERSION'))).toBe(true);
  };
  const containerIds = async () => (await execa('docker', ['ps', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${projectOf(ws)}`])).stdout.split('\n').filter(Boolean).sort();

  beforeAll(async () => {
    await ensureImageSet();
    release = await lockHarborNames();
    ws = await makeE2eWorkspace('regctl-e2e-faults');
    const r = await install(['--timeout', '180']);
    if (r.code !== 0) throw new Error(`the baseline install failed:\n${r.stdout}\n${r.stderr}`);
    secrets = await treeHash(path.join(ws.dataDir, 'secret'));
  });

  afterAll(async () => {
    await removeE2eWorkspace(ws);
    await release();
  });

  it('missing images: install lists them and stops before touching the running stack', async () => {
    const before = await containerIds();
    expect(before).toHaveLength(9);
    const r = await regctl(['install', ...base(), '--image-prefix', 'regctl-test-absent', '--yes', '--json']);
    expect(r.code).toBe(1);
    const ev = events(r.stdout);
    const notes = ev.filter((e) => e.event === 'note').map((e) => String(e.message));
    expect(notes).toContain('missing image: regctl-test-absent/harbor-core:v2.15.2');
    expect(notes.filter((n) => n.startsWith('missing image:'))).toHaveLength(9);
    expect(ev[ev.length - 1]).toMatchObject({ event: 'result', ok: false, error: { code: 'E_IMAGES_MISSING' } });
    expect(ev.some((e) => e.step === 'stop' && e.status === 'start')).toBe(false);
    expect(await containerIds()).toEqual(before);
    await expectDataIntact();
    // put the rendered files back to the working image set for the next tests
    expect((await install(['--timeout', '180'])).code).toBe(0);
  });

  it('on a terminal, install asks before restarting a running Harbor; "no" changes nothing', async () => {
    const before = await containerIds();
    const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, path.join(repoRoot, 'bin/regctl'), 'install', ...base(), '--image-prefix', TEST_IMAGE_PREFIX].map(q).join(' ');
    // the answer is typed into the pty; it waits in the terminal's input until the prompt reads it
    const r = await execa('sh', ['-c', `(sleep 3; printf 'n\\r'; sleep 2) | script -qefc ${q(cmd)} /dev/null`], { reject: false, timeout: 120_000 });
    // without escapes and line breaks (the prompt wraps at the terminal width)
    const out = String(r.stdout).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\r\n]/g, '');
    expect(out).toMatch(/Harbor \(project \S+\) is running with 9 containers; install restarts them \(short downtime, data kept\)\. Continue\?/);
    expect(out).toContain('install cancelled; nothing was changed [E_ABORTED]');
    expect(r.exitCode).toBe(1);
    expect(await containerIds()).toEqual(before);
    await expectDataIntact();
  });

  it('port taken by another process: doctor and install fail naming the port and the process', async () => {
    expect((await regctl(['down', ...base()])).code).toBe(0);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '0.0.0.0', port: ws.httpPort }, resolve));
    try {
      const doc = await regctl(['doctor', ...base(), '--json']);
      expect(doc.code).toBe(1);
      const port = (jsonResult(doc.stdout).data.checks as { check: string; status: string; detail: string }[]).find((c) => c.check === `port ${ws.httpPort} (http)`)!;
      expect(port.status).toBe('fail');
      expect(port.detail).toMatch(new RegExp(`^${ws.httpPort} is in use by .+ \\(pid ${process.pid}\\b`));
      const r = await install();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`FAIL  port ${ws.httpPort} (http)`);
      expect(r.stderr).toContain('preflight checks failed');
      expect(await containerIds()).toEqual([]);
      await expectDataIntact();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('engine stopped: install, status and down say the engine is not running', async () => {
    const dead = { DOCKER_HOST: `unix://${path.join(ws.dir, 'no-dockerd.sock')}` };
    const r = await install([], dead);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+docker engine\s+no Docker engine socket at .*no-dockerd\.sock: the engine is not running/);
    expect(r.stdout).toContain('fix: start dockerd, or unset/correct DOCKER_HOST');
    for (const cmd of ['status', 'down']) {
      const s = await regctl([cmd, ...base()], { env: dead });
      expect(s.code).toBe(1);
      expect(s.stderr).toMatch(/no Docker engine socket at .*no-dockerd\.sock: the engine is not running .*\[E_ENGINE_UNREACHABLE\]/);
      expect(s.stderr).toContain('fix: start dockerd, or unset/correct DOCKER_HOST');
    }
    await expectDataIntact();
  });

  it('a crashing harbor-core stand-in: install times out naming it with its log lines, and removes nothing', async () => {
    const trigger = path.join(ws.dataDir, 'ca_download', 'regctl-test-crash-core');
    writeFileSync(trigger, 'crash\n');
    try {
      const r = await install(['--timeout', '25']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/wait until every container is running and healthy: FAILED: timed out after 25s: \d+ not ready \(.*harbor-core/);
      expect(r.stdout).toMatch(/harbor-core \(service core\): (restarting|exited \(1\)|running)/);
      expect(r.stdout).toContain(`last `);
      expect(r.stdout).toContain(`(${path.join(ws.logDir, 'core.log')}):`);
      expect(r.stdout).toContain('crash requested by /etc/core/ca/regctl-test-crash-core');
      expect(r.stderr).toContain('did not become healthy within 25s (see above); nothing was removed [E_NOT_HEALTHY]');
      expect(r.stdout).not.toContain('Harbor is up');
      // nothing removed: the containers are still there for inspection, the data untouched
      const states = await containerStates(projectOf(ws));
      expect(Object.keys(states)).toContain('harbor-core');
      expect(states['harbor-db']).toMatch(/^running/);
      await expectDataIntact();
    } finally {
      await fs.rm(trigger, { force: true });
    }
    const again = await install(['--timeout', '180']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('Harbor is up');
    await expectDataIntact();
  });
});
