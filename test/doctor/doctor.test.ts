/**
 * `regctl doctor` on this host's real Docker engine and docker-compose v1: what it reports, and
 * each failure it must name. The compose-plugin and old-compose cases use STAND-IN executables
 * (shell scripts answering the version calls) because only docker-compose v1 is installed here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chmodSync, mkdirSync, promises as fs, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { describeWithDocker, lockHarborNames } from '../e2e/helpers/engine.js';
import { jsonResult, regctl, repoRoot } from '../e2e/helpers/cli.js';
import { makeE2eWorkspace, type E2eWorkspace } from '../e2e/helpers/workspace.js';
import { ensureImageSet } from '../images/image-set.js';
import { which } from '../../src/docker/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface Check {
  check: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  fix: string;
}

describeWithDocker('regctl doctor (real engine)', () => {
  let ws: E2eWorkspace;
  let scratch: string;
  const dockerBin = which('docker', process.env)!;
  const doctor = async (args: string[] = [], env?: NodeJS.ProcessEnv) => {
    const r = await regctl(['doctor', '--config', ws.configPath, '--json', ...args], { env });
    return { code: r.code, checks: jsonResult(r.stdout).data.checks as Check[], stderr: r.stderr };
  };
  const find = (checks: Check[], name: string) => checks.find((c) => c.check === name)!;

  let release: () => Promise<void> = async () => {};

  // doctor looks at Harbor's container names and 127.0.0.1:1514: no e2e stack may run meanwhile
  beforeAll(async () => {
    release = await lockHarborNames();
    ws = await makeE2eWorkspace('regctl-doctor');
    scratch = await tempDir('regctl-doctor-bin');
  });
  afterAll(async () => {
    await fs.rm(ws.dir, { recursive: true, force: true });
    await release();
  });

  it('passes on this host and names the engine version, the compose flavour, its version and absolute path', async () => {
    const { code, checks } = await doctor();
    expect(code, JSON.stringify(checks, null, 1)).toBe(0);
    const server = (await execa('docker', ['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    expect(find(checks, 'docker engine')).toMatchObject({ status: 'pass', detail: `Docker Engine ${server}, reachable at unix:///var/run/docker.sock` });
    const composeVersion = (await execa('docker-compose', ['version', '--short'])).stdout.trim();
    expect(find(checks, 'compose').detail).toBe(`docker-compose v${composeVersion} (${which('docker-compose', process.env)}), used because the docker compose plugin is not installed`);
    expect(find(checks, 'docker cli').detail).toContain(dockerBin);
    for (const p of [`port ${ws.httpPort} (http)`, `port ${ws.httpsPort} (https)`, 'port 1514 (harbor-log syslog)']) expect(find(checks, p).status).toBe('pass');
    expect(find(checks, 'https certificate').detail).toMatch(/covers reg\.e2e\.test; valid for (89|90) more days/);
    const text = await regctl(['doctor', '--config', ws.configPath]);
    expect(text.stdout).toMatch(/^PASS  docker engine\s+Docker Engine/m);
    expect(text.stdout).toMatch(/doctor: \d+ passed, 0 warnings, 0 failed/);
  });

  it('fails naming a taken port and the process that holds it, and passes once it is free', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '0.0.0.0', port: ws.httpsPort }, resolve));
    let r;
    try {
      r = await doctor();
    } finally {
      await new Promise((res) => server.close(res));
    }
    expect(r.code).toBe(1);
    const port = find(r.checks, `port ${ws.httpsPort} (https)`);
    expect(port.status).toBe('fail');
    expect(port.detail).toMatch(new RegExp(`^${ws.httpsPort} is in use by .+ \\(pid ${process.pid}\\b`));
    expect(port.fix).toBe('stop it, or set another port in the config (https.port)');
    const text = await regctl(['doctor', '--config', ws.configPath]);
    expect(text.code).toBe(0);
  });

  it('says the engine is not running when DOCKER_HOST points at a dead socket', async () => {
    const { code, checks } = await doctor([], { DOCKER_HOST: `unix://${scratch}/dead.sock` });
    expect(code).toBe(1);
    const engine = find(checks, 'docker engine');
    expect(engine.status).toBe('fail');
    expect(engine.detail).toContain(`no Docker engine socket at ${scratch}/dead.sock: the engine is not running`);
    expect(engine.fix).toBe('start dockerd, or unset/correct DOCKER_HOST');
    expect(find(checks, 'container names').status).toBe('warn');
  });

  it('says permission denied (and how to fix it) for a user outside the docker group', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test drops to uid 65534 with setpriv and must start as root');
    const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.join(repoRoot, 'bin/regctl'), 'doctor', '--json'], { cwd: scratch, reject: false });
    expect(r.exitCode).toBe(1);
    const engine = find(jsonResult(r.stdout).data.checks as Check[], 'docker engine');
    expect(engine.status).toBe('fail');
    expect(engine.detail).toMatch(/^permission denied on unix:\/\/\/var\/run\/docker\.sock/);
    expect(engine.fix).toBe('run regctl as root (sudo), or add your user to the docker group and log in again');
  });

  it('says "install compose" (not a version parse error) when there is no compose at all', async () => {
    const bin = path.join(scratch, 'no-compose-bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(dockerBin, path.join(bin, 'docker'));
    const emptyConfig = path.join(scratch, 'docker-config-empty');
    mkdirSync(emptyConfig, { recursive: true });
    const { code, checks } = await doctor([], { PATH: bin, DOCKER_CONFIG: emptyConfig });
    expect(code).toBe(1);
    const compose = find(checks, 'compose');
    expect(compose.status).toBe('fail');
    expect(compose.detail).toBe('Docker Compose is not installed: neither the `docker compose` plugin nor `docker-compose` was found');
    expect(compose.fix).toMatch(/^install compose: /);
    expect(compose.detail + compose.fix).not.toMatch(/parse/i);
  });

  it('rejects docker-compose older than 1.18 (a stand-in docker-compose that reports 1.17.1)', async () => {
    const bin = path.join(scratch, 'old-compose-bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(dockerBin, path.join(bin, 'docker'));
    const fake = path.join(bin, 'docker-compose');
    writeFileSync(fake, '#!/bin/sh\n# STAND-IN for an old docker-compose (test only)\n[ "$1" = version ] && [ "$2" = --short ] && { echo 1.17.1; exit 0; }\necho "docker-compose version 1.17.1, build 6d101fb"\n');
    chmodSync(fake, 0o755);
    const { checks } = await doctor([], { PATH: `${bin}:/usr/bin:/bin`, DOCKER_CONFIG: path.join(scratch, 'docker-config-empty') });
    expect(find(checks, 'compose')).toMatchObject({ status: 'fail', detail: `${fake} is version 1.17.1; Harbor needs docker-compose 1.18.0 or newer` });
  });

  it('prefers the docker compose v2 plugin when present (a STAND-IN plugin script) and names its path', async () => {
    const config = path.join(scratch, 'docker-config-plugin');
    const plugins = path.join(config, 'cli-plugins');
    mkdirSync(plugins, { recursive: true });
    const plugin = path.join(plugins, 'docker-compose');
    writeFileSync(
      plugin,
      [
        '#!/bin/sh',
        '# STAND-IN docker compose plugin (test only): answers the CLI plugin protocol and `compose version`',
        'if [ "$1" = docker-cli-plugin-metadata ]; then',
        '  echo \'{"SchemaVersion":"0.1.0","Vendor":"regctl tests","Version":"v2.99.0","ShortDescription":"stand-in compose plugin"}\'',
        '  exit 0',
        'fi',
        '[ "$1" = compose ] && [ "$2" = version ] && { echo "Docker Compose version v2.99.0"; exit 0; }',
        'exit 1',
        '',
      ].join('\n'),
    );
    chmodSync(plugin, 0o755);
    const probe = await execa(dockerBin, ['compose', 'version'], { env: { DOCKER_CONFIG: config }, reject: false });
    if (probe.exitCode !== 0) throw new Error(`this docker CLI (${dockerBin}) does not load CLI plugins: ${probe.stderr}`);
    const { checks } = await doctor([], { DOCKER_CONFIG: config });
    expect(find(checks, 'compose')).toMatchObject({ status: 'pass', detail: `docker compose plugin v2.99.0 (${plugin}), preferred over a standalone docker-compose` });
  });

  it('fails on leftover database data from another Harbor major version, and accepts pg15 (upgraded on start)', async () => {
    const db = path.join(ws.dataDir, 'database');
    mkdirSync(path.join(db, 'pg13'), { recursive: true });
    writeFileSync(path.join(db, 'pg13', 'PG_VERSION'), '13\n');
    let { code, checks } = await doctor();
    expect(code).toBe(1);
    expect(find(checks, 'database data')).toMatchObject({
      status: 'fail',
      detail: `${db} holds PostgreSQL 13 data left by another Harbor version; Harbor v2.15.2 runs PostgreSQL 18 and upgrades only from 15`,
    });
    await fs.rm(path.join(db, 'pg13'), { recursive: true });
    mkdirSync(path.join(db, 'pg15'));
    writeFileSync(path.join(db, 'pg15', 'PG_VERSION'), '15\n');
    ({ code, checks } = await doctor());
    expect(code).toBe(0);
    expect(find(checks, 'database data').detail).toContain('upgrades it to 18 on first start');
    await fs.rm(path.join(ws.dataDir), { recursive: true, force: true });
  });

  it('fails when the certificate does not cover the hostname or external_url host, or the key does not match', async () => {
    const other = await makeE2eWorkspace('regctl-doctor-cert', { external_url: 'https://registry.other.test:9443' });
    try {
      let r = await regctl(['doctor', '--config', other.configPath, '--json']);
      const cert = (jsonResult(r.stdout).data.checks as Check[]).filter((c) => c.check === 'https certificate');
      expect(cert).toEqual([
        expect.objectContaining({ status: 'fail', detail: expect.stringMatching(/clients using registry\.other\.test will fail: .*\[HOST_NOT_COVERED\]$/), fix: expect.stringContaining('--san registry.other.test') }),
      ]);
      const yml = (await fs.readFile(other.configPath, 'utf8')).replace(/external_url:.*\n/, '').replace(other.keyFile, path.join(path.dirname(other.keyFile), 'ca.key'));
      writeFileSync(other.configPath, yml);
      // a key that does not match is already refused when the config is loaded (exit 2, nothing run)
      r = await regctl(['doctor', '--config', other.configPath, '--json']);
      expect(r.code).toBe(2);
      expect(jsonResult(r.stdout).findings).toEqual([expect.objectContaining({ code: 'E_KEY_MISMATCH', key: 'https.private_key' })]);
    } finally {
      await fs.rm(other.dir, { recursive: true, force: true });
    }
  });

  it('without a config runs the host checks only', async () => {
    const r = await regctl(['doctor'], { cwd: scratch });
    expect(r.stderr).toContain('no harbor.yml here and no --config: running the host checks only');
    expect(r.stdout).not.toMatch(/port \d+/);
  });

  it("fails on containers holding Harbor's container names that belong to another project", async () => {
    const images = await ensureImageSet();
    // removed by the ids created here only: a container of that name that is not ours stays
    const created: string[] = [];
    try {
      created.push((await execa('docker', ['create', '--name', 'harbor-core', images.busybox])).stdout.trim());
      created.push((await execa('docker', ['create', '--name', 'redis', '--label', 'com.docker.compose.project=otherstack', '--label', 'com.docker.compose.project.working_dir=/srv/other', images.busybox])).stdout.trim());
      const { code, checks } = await doctor();
      expect(code).toBe(1);
      expect(find(checks, 'container name harbor-core')).toMatchObject({
        status: 'fail',
        detail: `a container named harbor-core (image ${images.busybox}, created) already exists and belongs to no compose project`,
        fix: 'remove or rename it: docker rm -f harbor-core (or docker rename harbor-core harbor-core-old)',
      });
      expect(find(checks, 'container name redis')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('belongs to compose project "otherstack" in /srv/other'),
        fix: 'stop that stack first (docker compose down in /srv/other), or remove the container: docker rm -f redis',
      });
    } finally {
      if (created.length) await execa('docker', ['rm', '-f', ...created], { reject: false });
    }
  });
});
