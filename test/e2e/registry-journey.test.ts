/**
 * The seed's journey on the registry profile, on the real engine: install with --generate-certs
 * (IP SAN for this host's address) → trust the CA → log in → push → rmi + pull → catalog and tags →
 * skopeo verifies TLS with the trust and fails without it → status healthy → down. And the
 * --insecure variant: plain HTTP, /v2/_catalog answers, the trust line is printed.
 *
 * The real trust stores (/etc/docker/certs.d, /etc/containers/certs.d) are touched only when
 * CI=true, and are checked to be back as they were afterwards. Otherwise the CA goes under a
 * --root temp dir and the push goes through skopeo with --cert-dir pointing there (dockerd only
 * reads the real /etc/docker/certs.d, so docker login/push/pull are the CI-only steps).
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithDocker } from './helpers/engine.js';
import { hostAddress } from './helpers/workspace.js';
import { repoRoot } from '../helpers/workspace.js';
import { curl } from './helpers/curl.js';
import { regctl, jsonResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { freePort } from '../helpers/processes.js';
import { ensureDistributionImage } from '../images/distribution-image.js';
import { execLines } from '../../src/install/systemd.js';

const REAL = process.env.CI === 'true';
const PASSWORD = 'journey-Passw0rd-for-alice';
const REAL_STORES = ['/etc/docker/certs.d', '/etc/containers/certs.d'];

/** every path under the stores with its content: "back as it was" is equality of this */
function snapshot(dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      out[p] = `dir ${st.mode.toString(8)}`;
      for (const e of readdirSync(p)) walk(path.join(p, e));
    } else out[p] = readFileSync(p).toString('base64');
  };
  dirs.forEach(walk);
  return out;
}

async function docker(args: string[], input?: string, env?: NodeJS.ProcessEnv) {
  return execa('docker', args, { reject: false, input, env: { ...process.env, ...env } });
}

/** a one-file image made by docker import: nothing is pulled */
async function tinyImage(dir: string, tag: string): Promise<void> {
  await mkdir(path.join(dir, 'tiny'), { recursive: true });
  await writeFile(path.join(dir, 'tiny', 'hello.txt'), `hello from ${tag}\n`);
  await execa('tar', ['-C', path.join(dir, 'tiny'), '-cf', path.join(dir, 'tiny.tar'), '.']);
  await execa('docker', ['import', path.join(dir, 'tiny.tar'), tag]);
}

async function writeConfig(ws: string, port: number, tls: boolean, image: string): Promise<string> {
  const file = path.join(ws, 'registry.yml');
  const lines = [
    `hostname: ${hostAddress()}`,
    `port: ${port}`,
    ...(tls ? ['tls:', '  certificate: certs/registry.crt', '  private_key: certs/registry.key'] : []),
    'auth:',
    '  htpasswd: auth/htpasswd',
    'storage:',
    '  directory: storage',
    '  delete: true',
    `image: ${image}`,
  ];
  await writeFile(file, lines.join('\n') + '\n');
  const add = await regctl(['registry', 'user', 'add', 'alice', '--htpasswd', path.join(ws, 'auth', 'htpasswd'), '--password-stdin'], { input: PASSWORD });
  expect(add.code, add.stderr).toBe(0);
  return file;
}

describeWithDocker('registry profile: the seed journey', () => {
  let ws: string;
  let config: string;
  let registry: string;
  let image: string;
  const tag = `regctl-test/tiny:journey-${process.pid}`;
  const before = snapshot(REAL_STORES);
  let trustRoot: string | undefined;

  beforeAll(async () => {
    image = await ensureDistributionImage();
    ws = await tempDir('regctl-registry-journey');
    const port = await freePort();
    registry = `${hostAddress()}:${port}`;
    config = await writeConfig(ws, port, true, image);
    await tinyImage(ws, tag);
  }, 240_000);

  afterAll(async () => {
    await regctl(['down', '--config', config]);
    await regctl(['cert', 'untrust', '--registry', registry, ...(trustRoot ? ['--root', trustRoot] : [])]);
    await docker(['rmi', '-f', tag, `${registry}/journey/tiny:1`]);
    // the real stores must be exactly as before, whatever failed above
    expect(snapshot(REAL_STORES)).toEqual(before);
  }, 120_000);

  it('installs with generated certificates, and a second run keeps them', async () => {
    const r = await regctl(['install', '--profile', 'registry', '--config', config, '--generate-certs', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const data = jsonResult(r.stdout).data as { registry: string; caFile: string; trustCommand: string };
    expect(data.registry).toBe(registry);
    expect(data.caFile).toBe(path.join(ws, 'ca', 'ca.crt'));
    const leaf = new X509Certificate(await readFile(path.join(ws, 'certs', 'registry.crt')));
    expect(leaf.subjectAltName).toContain(`IP Address:${hostAddress()}`);
    expect(leaf.verify(new X509Certificate(await readFile(data.caFile)).publicKey)).toBe(true);
    // a record status/down/logs find the profile by
    expect(JSON.parse(await readFile(path.join(ws, 'common/config/regctl/installation.json'), 'utf8'))).toMatchObject({ profile: 'registry', port: Number(registry.split(':')[1]) });

    const caBytes = await readFile(data.caFile);
    const leafBytes = await readFile(path.join(ws, 'certs', 'registry.crt'));
    const again = await regctl(['install', '--profile', 'registry', '--config', config, '--generate-certs']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await readFile(data.caFile)).toEqual(caBytes);
    expect(await readFile(path.join(ws, 'certs', 'registry.crt'))).toEqual(leafBytes);
    expect(again.stdout).toContain(`regctl cert trust --ca ${data.caFile} --registry ${registry}`);
  }, 180_000);

  it('trusts the CA, pushes, pulls, lists, and skopeo verifies TLS only with the trust', async () => {
    const ca = path.join(ws, 'ca', 'ca.crt');
    if (!REAL) {
      trustRoot = path.join(ws, 'trust-root');
      await mkdir(trustRoot, { recursive: true });
      console.warn('registry-journey: CI is not true, so the CA goes under a --root temp dir and docker login/push/pull (which need the real /etc/docker/certs.d) are skipped; skopeo pushes instead');
    }
    const trust = await regctl(['cert', 'trust', '--ca', ca, '--registry', registry, '--targets', 'docker,containers', ...(trustRoot ? ['--root', trustRoot] : [])]);
    expect(trust.code, trust.stdout + trust.stderr).toBe(0);
    const certDir = path.join(trustRoot ?? '/', 'etc/containers/certs.d', registry);
    expect(existsSync(path.join(certDir, 'ca.crt'))).toBe(true);
    const dockerConfig = path.join(ws, 'docker-config');
    const authfile = path.join(ws, 'auth.json');
    const certArgs = REAL ? [] : ['--cert-dir', certDir];

    const login = await execa('skopeo', ['login', '--authfile', authfile, ...certArgs, '-u', 'alice', '--password-stdin', registry], { input: PASSWORD, reject: false });
    expect(login.exitCode, login.stderr).toBe(0);
    const ref = `${registry}/journey/tiny:1`;
    if (REAL) {
      const dl = await docker(['login', registry, '-u', 'alice', '--password-stdin'], PASSWORD, { DOCKER_CONFIG: dockerConfig });
      expect(dl.exitCode, dl.stderr).toBe(0);
      expect((await docker(['tag', tag, ref])).exitCode).toBe(0);
      const push = await docker(['push', ref], undefined, { DOCKER_CONFIG: dockerConfig });
      expect(push.exitCode, push.stderr).toBe(0);
      expect((await docker(['rmi', ref])).exitCode).toBe(0);
      const pull = await docker(['pull', ref], undefined, { DOCKER_CONFIG: dockerConfig });
      expect(pull.exitCode, pull.stderr).toBe(0);
    } else {
      await execa('docker', ['save', '-o', path.join(ws, 'tiny-saved.tar'), tag]);
      const copy = await execa('skopeo', ['copy', '--dest-authfile', authfile, '--dest-cert-dir', certDir, `docker-archive:${path.join(ws, 'tiny-saved.tar')}`, `docker://${ref}`], { reject: false });
      expect(copy.exitCode, copy.stderr).toBe(0);
    }

    const creds = ['--username', 'alice', '--password-stdin', '--ca', ca, '--json'];
    const catalog = await regctl(['registry', 'catalog', registry, ...creds], { input: PASSWORD });
    expect(catalog.code, catalog.stdout + catalog.stderr).toBe(0);
    expect(JSON.stringify(jsonResult(catalog.stdout).data)).toContain('journey/tiny');
    const tags = await regctl(['registry', 'tags', `${registry}/journey/tiny`, ...creds], { input: PASSWORD });
    expect(tags.code, tags.stdout + tags.stderr).toBe(0);
    expect(JSON.stringify(jsonResult(tags.stdout).data)).toContain('"1"');

    const inspect = (extra: string[]) => execa('skopeo', ['inspect', '--tls-verify=true', '--authfile', authfile, ...extra, `docker://${ref}`], { reject: false });
    const trusted = await inspect(certArgs);
    expect(trusted.exitCode, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout).Name).toBe(`${registry}/journey/tiny`);
    const emptyDir = path.join(ws, 'empty-cert-dir');
    await mkdir(emptyDir, { recursive: true });
    const untrusted = await inspect(['--cert-dir', emptyDir]);
    expect(untrusted.exitCode).not.toBe(0);
    expect(untrusted.stderr).toMatch(/x509|certificate/i);

    if (REAL) {
      // dockerd trusts the CA now: install --verify as alice passes every step
      const verified = await regctl(['install', '--profile', 'registry', '--config', config, '--generate-certs', '--verify', '--username', 'alice', '--password-stdin', '--json'], { input: PASSWORD });
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const steps = (jsonResult(verified.stdout).data.verify as { steps: { id: string; status: string }[] }).steps;
      expect(steps.every((x) => x.status === 'done'), JSON.stringify(steps)).toBe(true);
      expect(verified.stdout + verified.stderr).not.toContain(PASSWORD);
    }
    const untrust = await regctl(['cert', 'untrust', '--registry', registry, ...(trustRoot ? ['--root', trustRoot] : [])]);
    expect(untrust.code, untrust.stdout + untrust.stderr).toBe(0);
    expect(existsSync(path.join(certDir, 'ca.crt'))).toBe(false);
    if (REAL) {
      const after = await inspect([]);
      expect(after.exitCode).not.toBe(0);
      expect(snapshot(REAL_STORES)).toEqual(before);
    }
  }, 240_000);

  it('install --verify as an htpasswd user when dockerd does not trust the CA: installed and healthy, verify fails naming the trust command, exit 1, no password printed', async () => {
    const r = await regctl(['install', '--profile', 'registry', '--config', config, '--generate-certs', '--verify', '--username', 'alice', '--password-stdin', '--json'], { input: PASSWORD });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const env = jsonResult(r.stdout);
    const steps = (env.data.verify as { steps: { id: string; status: string }[] }).steps;
    const failed = steps.find((x) => x.status === 'fail');
    expect(failed, JSON.stringify(steps)).toBeDefined();
    expect(steps.filter((x) => x.status === 'done').map((x) => x.id)).toContain('connect');
    expect(JSON.stringify(env)).toMatch(/regctl cert trust/);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    // the install itself went through: the registry is up
    expect((await regctl(['status', '--config', config])).code).toBe(0);
  }, 180_000);

  it('install --verify without --username/--password-stdin is refused before anything runs (exit 2)', async () => {
    const r = await regctl(['install', '--profile', 'registry', '--config', config, '--verify', '--json']);
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error?.message).toContain('--username USER --password-stdin');
    const harbor = await regctl(['install', '--username', 'alice', '--password-stdin', '--json'], { input: PASSWORD });
    expect(harbor.code).toBe(2);
    expect(jsonResult(harbor.stdout).error?.message).toContain('harbor_admin_password');
  });

  it('status shows it healthy without flags from the install dir, logs reads it, down stops it', async () => {
    const st = await regctl(['status', '--json'], { cwd: ws });
    expect(st.code, st.stdout + st.stderr).toBe(0);
    const data = jsonResult(st.stdout).data as { profile: string; healthy: boolean; containers: { ready: boolean }[]; certificate: { daysLeft: number } };
    expect(data).toMatchObject({ profile: 'registry', healthy: true });
    expect(data.containers).toHaveLength(1);
    expect(data.certificate.daysLeft).toBeGreaterThan(300);
    const logs = await regctl(['logs', 'registry', '--tail', '50'], { cwd: ws });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/listening on|GET \/v2\//);
    const down = await regctl(['down'], { cwd: ws });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('stopped and removed 1 containers');
    const stopped = await regctl(['status'], { cwd: ws });
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('status: NOT healthy');
  }, 120_000);
});

describeWithDocker('registry profile: --insecure', () => {
  let ws: string;
  let config: string;
  let port: number;

  beforeAll(async () => {
    const image = await ensureDistributionImage();
    ws = await tempDir('regctl-registry-insecure');
    port = await freePort();
    config = await writeConfig(ws, port, false, image);
  }, 240_000);

  afterAll(async () => {
    await regctl(['down', '--config', config]);
  }, 120_000);

  it('stops before rendering when there are no users or no certificate, saying how to fix it', async () => {
    const other = await tempDir('regctl-registry-nousers');
    const file = path.join(other, 'registry.yml');
    await writeFile(file, `hostname: ${hostAddress()}\nport: ${port}\nauth: {htpasswd: auth/htpasswd}\nstorage: {directory: storage}\nimage: regctl-test/registry:2\n`);
    const noUsers = await regctl(['install', '--profile', 'registry', '--config', file, '--insecure']);
    expect(noUsers.code).toBe(2);
    expect(noUsers.stderr + noUsers.stdout).toContain(`regctl registry user add admin --htpasswd ${path.join(other, 'auth', 'htpasswd')}`);
    await writeFile(file, `hostname: ${hostAddress()}\nport: ${port}\ntls: {certificate: c.crt, private_key: c.key}\nauth: {htpasswd: auth/htpasswd}\nstorage: {directory: storage}\n`);
    const noCert = await regctl(['install', '--profile', 'registry', '--config', file]);
    expect(noCert.code).toBe(2);
    expect(noCert.stderr + noCert.stdout).toContain('--generate-certs');
    expect(existsSync(path.join(other, 'docker-compose.yml'))).toBe(false);
  }, 60_000);

  it('serves plain HTTP with auth, and prints the trust line clients need', async () => {
    const r = await regctl(['install', '--profile', 'registry', '--config', config, '--insecure']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`regctl cert trust --insecure --registry ${hostAddress()}:${port}`);
    const opts = { resolve: `${hostAddress()}:${port}:127.0.0.1`, cacert: '/etc/ssl/certs/ca-certificates.crt' };
    const anonymous = await curl(`http://${hostAddress()}:${port}/v2/_catalog`, opts);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
    const alice = await curl(`http://${hostAddress()}:${port}/v2/_catalog`, { ...opts, user: `alice:${PASSWORD}` });
    expect(alice.status).toBe(200);
    expect(JSON.parse(alice.body)).toEqual({ repositories: [] });
  }, 180_000);

  it('--systemd writes a unit (here into a private mount namespace) whose commands start the registry again and stop it', async () => {
    const units = path.join(path.dirname(config), 'units');
    await mkdir(units);
    if (!existsSync('/etc/systemd/system')) throw new Error('this test bind-mounts a temp dir over /etc/systemd/system, which does not exist here');
    const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, path.join(repoRoot, 'bin/regctl'), 'install', '--profile', 'registry', '--config', config, '--insecure', '--systemd', '--json'];
    const r = await execa('unshare', ['-m', 'sh', '-c', `mount --bind ${q(units)} /etc/systemd/system && exec ${cmd.map(q).join(' ')}`], { reject: false });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const project = jsonResult(r.stdout).data.project as string;
    const unitName = `regctl-${project}.service`;
    expect(jsonResult(r.stdout).data.unitFile).toBe(`/etc/systemd/system/${unitName}`);
    expect(existsSync(`/etc/systemd/system/${unitName}`)).toBe(false); // the host's stayed untouched
    const unit = await readFile(path.join(units, unitName), 'utf8');
    expect(unit).toContain('Description=container registry (regctl --profile registry)');
    expect(unit).not.toContain('ExecStartPre='); // no log service to wait for
    expect((await regctl(['down', '--config', config])).code).toBe(0);
    const [start] = execLines(unit, 'ExecStart');
    const up = await execa(start![0]!, start!.slice(1), { cwd: '/', reject: false, env: { PATH: '/usr/bin:/bin' } });
    expect(up.exitCode, up.stderr).toBe(0);
    const deadline = Date.now() + 60_000;
    let st = await regctl(['status', '--config', config, '--json']);
    while (st.code !== 0 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      st = await regctl(['status', '--config', config, '--json']);
    }
    expect(st.code, st.stdout + st.stderr).toBe(0);
    const [stop] = execLines(unit, 'ExecStop');
    const down = await execa(stop![0]!, stop!.slice(1), { cwd: '/', reject: false });
    expect(down.exitCode, down.stderr).toBe(0);
    expect((await execa('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.trim()).toBe('');
  }, 180_000);
});
