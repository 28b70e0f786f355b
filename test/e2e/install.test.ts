/**
 * End to end on the real Docker engine with the local image set (test/images: real nginx,
 * registry, PostgreSQL and redis; STAND-INS for harbor-core, portal, jobservice, registryctl and
 * log): doctor → install → all healthy → a TLS request through the real nginx, verified with our
 * CA by curl, reaches the real registry (an image pushed and read back, stored in data_volume) →
 * status → logs → down → the systemd unit's commands start it again → down → install again
 * changes nothing and comes back healthy.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, events, repoRoot, jsonResult } from './helpers/cli.js';
import { makeE2eWorkspace, treeHash, envFile, containerStates, projectOf, type E2eWorkspace, removeE2eWorkspace } from './helpers/workspace.js';
import { curl } from './helpers/curl.js';
import { ensureImageSet, TEST_IMAGE_PREFIX, testClusterDir } from '../images/image-set.js';
import { renderUnit, execLines, writeUnit } from '../../src/install/systemd.js';
import { ComposeProject, detectCompose } from '../../src/docker/compose.js';
import { findDockerCli } from '../../src/docker/cli.js';

const HARBOR_CONTAINERS = ['harbor-log', 'registry', 'registryctl', 'harbor-db', 'harbor-core', 'harbor-portal', 'harbor-jobservice', 'redis', 'nginx'];

describeWithDocker('e2e: install, prove, status, down, reinstall (real engine, local image set)', () => {
  let ws: E2eWorkspace;
  let release: () => Promise<void> = async () => {};
  let secretsBefore = '';
  let secretValues: string[] = [];
  const allOutput: string[] = [];
  const run = async (args: string[], env?: NodeJS.ProcessEnv) => {
    const r = await regctl(args, { env });
    allOutput.push(r.stdout, r.stderr);
    return r;
  };
  const base = () => ['--config', ws.configPath];

  beforeAll(async () => {
    const images = await ensureImageSet({ log: (l) => console.log(`[image set] ${l}`) });
    console.log(`[image set] ${images.built.length} built, ${images.reused.length} reused in ${images.seconds.toFixed(1)}s`);
    release = await lockHarborNames();
    ws = await makeE2eWorkspace('regctl-e2e-install');
  });

  afterAll(async () => {
    await removeE2eWorkspace(ws);
    await release();
  });

  it('doctor names the engine version and the compose flavour, version and path, and passes', async () => {
    const r = await run(['doctor', ...base()]);
    expect(r.stdout).toMatch(/PASS\s+docker engine\s+Docker Engine \d+\.\d+\.\d+/);
    expect(r.stdout).toMatch(/PASS\s+compose\s+(docker-compose v1\.\d+\.\d+ \(\/\S+docker-compose\)|docker compose plugin v2)/);
    expect(r.stdout).toContain(`port ${ws.httpsPort} (https)`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const json = jsonResult((await run(['doctor', ...base(), '--json'])).stdout).data.checks as { check: string; status: string; detail: string; fix: string }[];
    expect(json.length).toBeGreaterThan(8);
    for (const c of json) expect(Object.keys(c).sort()).toEqual(['check', 'detail', 'fix', 'status']);
    expect(json.every((c) => c.status !== 'fail')).toBe(true);
  });

  it('install starts every container healthy and only then reports success', async () => {
    const r = await run(['install', ...base(), '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ev = events(r.stdout);
    const steps = ev.filter((e) => e.event === 'step' && e.status !== 'start' && e.status !== 'progress').map((e) => `${e.step}:${e.status}`);
    expect(steps).toEqual(['doctor:done', 'prepare:done', 'bundle:skip', 'images:done', 'backup:done', 'stop:done', 'start:done', 'wait:done', 'verify:done', 'systemd:skip']);
    // the result comes last, after the endpoint checks passed
    const result = ev[ev.length - 1]!;
    expect(result).toMatchObject({ event: 'result', command: 'install', ok: true, exitCode: 0, data: { url: `https://${ws.hostname}:${ws.httpsPort}`, containers: 9 } });
    const data = (result as { data: Record<string, unknown> }).data;
    expect((data.endpoints as { status: string }[]).map((e) => e.status)).toEqual(['pass', 'pass']);
    const timings = data.timings as { totalMs: number; composeUpMs: number; upToHealthyMs: number };
    console.log(`[install] total ${(timings.totalMs / 1000).toFixed(1)}s, compose up ${(timings.composeUpMs / 1000).toFixed(1)}s, up→healthy ${(timings.upToHealthyMs / 1000).toFixed(1)}s`);

    const states = await containerStates(projectOf(ws));
    expect(Object.keys(states).sort()).toEqual([...HARBOR_CONTAINERS].sort());
    for (const [name, st] of Object.entries(states)) expect(`${name} ${st}`).toBe(`${name} running healthy`);

    const env = await envFile(path.join(ws.dir, 'common/config/core/env'));
    const db = await envFile(path.join(ws.dir, 'common/config/db/env'));
    const config = parse(await fs.readFile(ws.configPath, 'utf8')) as { harbor_admin_password: string };
    secretValues = [env.REGISTRY_CREDENTIAL_PASSWORD!, env.CORE_SECRET!, db.POSTGRES_PASSWORD!, config.harbor_admin_password].filter(Boolean);
    secretsBefore = await treeHash(path.join(ws.dataDir, 'secret'));
  });

  it('a TLS request through the real nginx, verified with our CA, reaches the real registry', async () => {
    const origin = `https://${ws.hostname}:${ws.httpsPort}`;
    const c = { resolve: `${ws.hostname}:${ws.httpsPort}:127.0.0.1`, cacert: ws.caFile };
    const anon = await curl(`${origin}/v2/`, c);
    expect(anon.status).toBe(401);
    expect(anon.headers['www-authenticate']).toBe(`Bearer realm="${origin}/service/token",service="harbor-registry"`);
    expect(anon.headers.server).toBe('nginx');

    const env = await envFile(path.join(ws.dir, 'common/config/core/env'));
    const user = `${env.REGISTRY_CREDENTIAL_USERNAME}:${env.REGISTRY_CREDENTIAL_PASSWORD}`;
    const wrong = await curl(`${origin}/v2/_catalog`, { ...c, user: `${env.REGISTRY_CREDENTIAL_USERNAME}:wrong` });
    expect(wrong.status).toBe(401); // the real registry's htpasswd check said no

    // push a tiny image (config + layer blob, OCI manifest) and read it back
    const contents = ['{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}', `layer ${Date.now()}`];
    const blobs: { digest: string; size: number }[] = [];
    for (const [i, content] of contents.entries()) {
      const file = path.join(ws.dir, `blob-${i}`);
      writeFileSync(file, content);
      const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
      // the two-step upload: POST opens a session, PUT to its Location with the digest closes it
      const start = await curl(`${origin}/v2/e2e/hello/blobs/uploads/`, { ...c, user, method: 'POST' });
      expect(start.status, start.body).toBe(202);
      const location = new URL(start.headers.location!, origin);
      expect(location.origin).toBe(origin);
      location.searchParams.set('digest', digest);
      const up = await curl(location.toString(), { ...c, user, method: 'PUT', dataFile: file });
      expect(up.status, up.body).toBe(201);
      blobs.push({ digest, size: Buffer.byteLength(content) });
      // stored by the real registry in data_volume through the bind mount
      const blobOnDisk = path.join(ws.dataDir, 'registry/docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data');
      expect(await fs.readFile(blobOnDisk, 'utf8')).toBe(content);
      const back = await curl(`${origin}/v2/e2e/hello/blobs/${digest}`, { ...c, user });
      expect([back.status, back.body]).toEqual([200, content]);
    }
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...blobs[0] },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blobs[1] }],
    });
    const mfile = path.join(ws.dir, 'manifest.json');
    writeFileSync(mfile, manifest);
    const put = await curl(`${origin}/v2/e2e/hello/manifests/v1`, { ...c, user, method: 'PUT', dataFile: mfile, extra: ['-H', 'Content-Type: application/vnd.oci.image.manifest.v1+json'] });
    expect(put.status, put.body).toBe(201);
    const tags = await curl(`${origin}/v2/e2e/hello/tags/list`, { ...c, user });
    expect(JSON.parse(tags.body)).toEqual({ name: 'e2e/hello', tags: ['v1'] });
    const catalog = await curl(`${origin}/v2/_catalog`, { ...c, user });
    expect(catalog.status).toBe(200);
    expect(catalog.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(JSON.parse(catalog.body).repositories).toContain('e2e/hello');
  });

  it('status shows every container healthy, both endpoint checks and the certificate days', async () => {
    const r = await run(['status', ...base(), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const st = jsonResult(r.stdout).data;
    expect(st.healthy).toBe(true);
    expect(st.containers).toHaveLength(9);
    for (const c of st.containers) expect([c.container, c.state, c.health]).toEqual([c.container, 'running', 'healthy']);
    expect(st.endpoints.map((e: { status: string }) => e.status)).toEqual(['pass', 'pass']);
    expect(st.certificate.daysLeft).toBeGreaterThanOrEqual(89);
    expect(st.certificate.daysLeft).toBeLessThanOrEqual(90);
    const text = await run(['status', ...base()]);
    expect(text.stdout).toMatch(/SERVICE\s+CONTAINER\s+STATE\s+HEALTH\s+UPTIME\s+RESTARTS/);
    expect(text.stdout).toMatch(/core\s+harbor-core\s+running\s+healthy/);
    expect(text.stdout).toMatch(/certificate: .* expires in (89|90) days/);
  });

  it('logs reads the syslog driver output from the log location', async () => {
    const r = await run(['logs', 'core', ...base(), '-n', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('[harbor-core stand-in]');
    expect(r.stdout).toContain('GET /v2/_catalog 200');
    // -f follows the file: a request made after it started shows up in the proxy's log
    const follow = execa(process.execPath, [path.join(repoRoot, 'bin/regctl'), 'logs', 'proxy', '-f', '-n', '0', ...base()], { reject: false });
    let seen = '';
    follow.stdout!.on('data', (d: Buffer) => (seen += d.toString()));
    await new Promise((r) => setTimeout(r, 1500));
    await curl(`https://${ws.hostname}:${ws.httpsPort}/regctl-follow-marker`, { resolve: `${ws.hostname}:${ws.httpsPort}:127.0.0.1`, cacert: ws.caFile });
    const until = Date.now() + 15_000;
    while (!seen.includes('GET /regctl-follow-marker') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    follow.kill('SIGTERM');
    const done = await follow;
    expect(seen).toContain('GET /regctl-follow-marker');
    expect(done.exitCode).toBe(0);
    const bad = await run(['logs', 'nosuch', ...base()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('one of: log, registry');
  });

  it('down removes the containers but keeps data_volume and the secrets', async () => {
    const r = await run(['down', ...base()]);
    expect(r.code, r.stderr).toBe(0);
    expect(await containerStates(projectOf(ws))).toEqual({});
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    expect(existsSync(path.join(ws.dataDir, 'database', testClusterDir(), 'PG_VERSION'))).toBe(true);
    const refused = await run(['down', ...base(), '--volumes']);
    expect(refused.code).toBe(2);
  });

  it("the systemd unit's commands start the stack from the install dir (log service first)", async () => {
    const cli = findDockerCli(process.env)!;
    const det = await detectCompose(cli, process.env);
    if (!det.ok) throw new Error(det.message);
    const project = new ComposeProject(det.tool, { name: projectOf(ws), file: path.join(ws.dir, 'docker-compose.yml'), directory: ws.dir });
    const unit = renderUnit({ project, dockerBin: cli.bin, logService: { service: 'log', containerName: 'harbor-log' } });
    const root = path.join(ws.dir, 'root');
    const file = await writeUnit(root, projectOf(ws), unit);
    expect(file).toBe(path.join(root, 'etc/systemd/system', `regctl-${projectOf(ws)}.service`));
    expect(unit).toContain('ExecStop=');
    expect(unit).not.toMatch(/ down -v|--volumes/);
    const commands = [...execLines(unit, 'ExecStartPre'), ...execLines(unit, 'ExecStart')];
    expect(commands).toHaveLength(3);
    for (const argv of commands) {
      const r = await execa(argv[0]!, argv.slice(1), { cwd: '/', reject: false, env: { PATH: '/usr/bin:/bin' } });
      expect(r.exitCode, `${argv.join(' ')}\n${r.stderr}`).toBe(0);
    }
    const deadline = Date.now() + 120_000;
    let st = await run(['status', ...base(), '--json']);
    while (st.code !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      st = await run(['status', ...base(), '--json']);
    }
    expect(jsonResult(st.stdout).data.healthy).toBe(true);
    const [stop] = execLines(unit, 'ExecStop');
    const r = await execa(stop![0]!, stop!.slice(1), { cwd: '/', reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await containerStates(projectOf(ws))).toEqual({});
  });

  it('install again changes no file and comes back healthy; the secrets are untouched', async () => {
    const skipVolatile = (rel: string) => rel.startsWith('data') || rel.startsWith('log') || rel.startsWith('root') || rel.startsWith('units') || rel.startsWith('blob') || rel === 'manifest.json';
    const configBefore = await treeHash(ws.dir, skipVolatile);
    // this time on a terminal (script(1) gives it a pty: the step list is redrawn in place), with
    // --systemd, in a private mount namespace whose /etc/systemd/system is a temp dir
    const units = path.join(ws.dir, 'units');
    await fs.mkdir(units);
    if (!existsSync('/etc/systemd/system')) throw new Error('this test bind-mounts a temp dir over /etc/systemd/system, which does not exist here');
    const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, path.join(repoRoot, 'bin/regctl'), 'install', ...base(), '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180', '--yes', '--systemd'];
    const inNamespace = `unshare -m sh -c ${q(`mount --bind ${q(units)} /etc/systemd/system && exec ${cmd.map(q).join(' ')}`)}`;
    const tty = await execa('script', ['-qefc', inNamespace, '/dev/null'], { reject: false });
    const raw = String(tty.stdout);
    const r = { code: tty.exitCode, stdout: raw.replace(/\r/g, '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''), stderr: String(tty.stderr) };
    allOutput.push(raw, r.stderr);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(raw).toContain('\x1b[10A'); // cursor up over the 10-step list
    expect(r.stdout).toMatch(/✔ check Harbor through the proxy \(health, \/v2\/ realm\): .* \d+\.\ds/);
    // dockerd creates common/config/registry/root.crt as the mount point of the nested root.crt
    // bind (Harbor's compose layout); prepare removes that empty file and the next `up` recreates
    // it. Any other change would be a real difference.
    const changes = r.stdout.split('\n').filter((l) => /^\s+(create|change|remove)\s/.test(l)).map((l) => l.trim().replace(/\s+/, ' '));
    expect(changes.filter((c) => c !== 'remove install:common/config/registry/root.crt'), r.stdout).toEqual([]);
    expect(r.stdout).toMatch(/✔ back up data_volume\/secret: unchanged since/);
    expect(r.stdout).toContain(`Harbor is up at https://${ws.hostname}:${ws.httpsPort}`);
    expect(r.stdout).toContain(`regctl cert trust --ca ${ws.caFile} --registry ${ws.hostname}:${ws.httpsPort}`);
    expect(r.stdout).toContain(`docker login ${ws.hostname}:${ws.httpsPort} -u admin`);
    const unitFile = path.join(units, `regctl-${projectOf(ws)}.service`);
    expect(r.stdout).toContain(`✔ write the systemd unit: /etc/systemd/system/regctl-${projectOf(ws)}.service`);
    expect(existsSync(`/etc/systemd/system/regctl-${projectOf(ws)}.service`)).toBe(false); // the host's stayed untouched
    expect((await fs.readFile(unitFile, 'utf8')).split('\n').find((l) => l.startsWith('ExecStart='))).toContain(`-p ${projectOf(ws)} -f ${ws.dir}/docker-compose.yml --project-directory ${ws.dir} up -d --no-build`);
    expect(await treeHash(ws.dir, skipVolatile)).toBe(configBefore);
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    const states = await containerStates(projectOf(ws));
    expect(Object.values(states).every((s) => s === 'running healthy')).toBe(true);
    // the image pushed before the reinstall is still served
    const env = await envFile(path.join(ws.dir, 'common/config/core/env'));
    const catalog = await curl(`https://${ws.hostname}:${ws.httpsPort}/v2/_catalog`, {
      resolve: `${ws.hostname}:${ws.httpsPort}:127.0.0.1`,
      cacert: ws.caFile,
      user: `${env.REGISTRY_CREDENTIAL_USERNAME}:${env.REGISTRY_CREDENTIAL_PASSWORD}`,
    });
    expect(JSON.parse(catalog.body).repositories).toContain('e2e/hello');
  });

  it('never printed a secret', () => {
    const text = allOutput.join('\n');
    expect(secretValues.length).toBe(4);
    for (const s of secretValues) expect(text).not.toContain(s);
  });
});
