/**
 * End to end on the real Docker engine: the token service.
 *
 *  v2.15.2: `docker login` as admin goes through the harbor-core STAND-IN's /service/token
 *     (Basic admin:HARBOR_ADMIN_PASSWORD → RS256 JWT signed with data/secret/core/private_key.pem)
 *     and a `docker push` with the token reaches the real registry; a second, real Debian
 *     docker-registry configured for token auth with rootcertbundle data/secret/registry/root.crt
 *     (distribution's own verification: kid = libtrust key ID, issuer, audience, signature) accepts
 *     those tokens and refuses altered ones — the token pair regctl renders matches.
 *
 * dockerd does the login and push itself, so the registry is addressed by this host's
 * non-loopback IPv4 address (dockerd uses the host's /etc/hosts and skips TLS verification for
 * 127.0.0.0/8): the test CA is installed for it with `regctl cert trust --targets docker`
 * (/etc/docker/certs.d/<ip>:<port>/, removed again with `regctl cert untrust`). The docker and
 * notary clients run with a temp DOCKER_CONFIG and HOME, so ~/.docker and ~/.notary stay
 * untouched; only the image tags this test creates are added to (and removed from) the engine.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, promises as fs, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl } from './helpers/cli.js';
import { makeE2eWorkspace, envFile, hostAddress, freePort, type E2eWorkspace } from './helpers/workspace.js';
import { curl } from './helpers/curl.js';
import { ensureImageSet, TEST_IMAGE_PREFIX, type ImageSetResult } from '../images/image-set.js';

interface Clients {
  /** temp DOCKER_CONFIG + HOME for the docker and notary clients */
  env: NodeJS.ProcessEnv;
  dir: string;
}

async function makeClients(ws: E2eWorkspace): Promise<Clients> {
  const dir = path.join(ws.dir, 'client');
  mkdirSync(path.join(dir, 'docker'), { recursive: true });
  mkdirSync(path.join(dir, 'home'), { recursive: true });
  return { dir, env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'docker'), HOME: path.join(dir, 'home'), DOCKER_CONTENT_TRUST: '0' } };
}

const docker = (c: Clients, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  execa('docker', args, { env: { ...c.env, ...opts.env }, input: opts.input ?? '', reject: false, timeout: 180_000 });

const adminPassword = async (ws: E2eWorkspace) => (await envFile(path.join(ws.dir, 'common/config/core/env'))).HARBOR_ADMIN_PASSWORD!;

/** trust the test CA for host:port in dockerd (certs.d), through regctl itself */
async function trustForDockerd(ws: E2eWorkspace, registry: string): Promise<void> {
  const r = await regctl(['cert', 'trust', '--ca', ws.caFile, '--registry', registry, '--targets', 'docker']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(existsSync(`/etc/docker/certs.d/${registry}/ca.crt`)).toBe(true);
}

async function untrustForDockerd(registry: string): Promise<void> {
  await regctl(['cert', 'untrust', '--registry', registry, '--targets', 'docker']);
}

/** a tiny image to push: the image set's busybox, tagged `ref` */
async function tagTestImage(images: ImageSetResult, ref: string): Promise<void> {
  const r = await execa('docker', ['tag', images.busybox, ref], { reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
}

async function removeTags(refs: string[]): Promise<void> {
  if (refs.length) await execa('docker', ['rmi', ...refs], { reject: false });
}

describeWithDocker('e2e: docker login and push through the token service (v2.15.2, real engine)', () => {
  let ws: E2eWorkspace;
  let clients: Clients;
  let images: ImageSetResult;
  let releaseLock: () => Promise<void> = async () => {};
  let registry = '';
  const tags: string[] = [];
  const side: string[] = [];

  beforeAll(async () => {
    images = await ensureImageSet({ log: (l) => console.log(`[image set] ${l}`) });
    releaseLock = await lockHarborNames();
    ws = await makeE2eWorkspace('regctl-e2e-token', {}, { hostname: hostAddress() });
    registry = `${ws.hostname}:${ws.httpsPort}`;
    clients = await makeClients(ws);
    const r = await regctl(['install', '--config', ws.configPath, '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await trustForDockerd(ws, registry);
  });

  afterAll(async () => {
    for (const name of side) await execa('docker', ['rm', '-f', name], { reject: false });
    await removeTags(tags);
    if (registry) await untrustForDockerd(registry);
    if (ws) {
      await regctl(['down', '--config', ws.configPath]);
      await fs.rm(ws.dir, { recursive: true, force: true });
    }
    await releaseLock();
  });

  it('docker login as admin succeeds through /service/token; a wrong password is refused', async () => {
    const wrong = await docker(clients, ['login', registry, '-u', 'admin', '--password-stdin'], { input: 'not-the-password' });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/unauthorized|401/i);
    const ok = await docker(clients, ['login', registry, '-u', 'admin', '--password-stdin'], { input: await adminPassword(ws) });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Login Succeeded');
    const config = JSON.parse(await fs.readFile(path.join(clients.env.DOCKER_CONFIG!, 'config.json'), 'utf8'));
    expect(Object.keys(config.auths)).toEqual([registry]);
  });

  it('docker push with the bearer token stores the image in the real registry; docker pull reads it back', async () => {
    const ref = `${registry}/library/e2e-token:v1`;
    tags.push(ref);
    await tagTestImage(images, ref);
    const push = await docker(clients, ['push', ref]);
    expect(push.exitCode, push.stdout + push.stderr).toBe(0);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    expect(digest, push.stdout).toBeDefined();
    const manifest = path.join(ws.dataDir, 'registry/docker/registry/v2/repositories/library/e2e-token/_manifests/tags/v1/current/link');
    expect(await fs.readFile(manifest, 'utf8')).toBe(digest);
    await execa('docker', ['rmi', ref]);
    const pull = await docker(clients, ['pull', ref]);
    expect(pull.exitCode, pull.stdout + pull.stderr).toBe(0);
    expect(pull.stdout).toContain(digest);
  });

  it("the token service's JWT: RS256, kid, issuer, audience = service, the asked-for access; anonymous gets only library pull", async () => {
    const origin = `https://${registry}`;
    const c = { resolve: `${registry}:127.0.0.1`, cacert: ws.caFile };
    const url = `${origin}/service/token?service=harbor-registry&scope=repository:library/e2e-token:push,pull&scope=repository:other/x:pull`;
    const admin = await curl(url, { ...c, user: `admin:${await adminPassword(ws)}` });
    expect(admin.status, admin.body).toBe(200);
    const body = JSON.parse(admin.body) as { token: string; expires_in: number; issued_at: string };
    expect(body.expires_in).toBe(1800);
    const [h, p] = body.token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString() || 'null'));
    expect(h).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(h.kid).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(p).toMatchObject({ iss: 'harbor-token-issuer', sub: 'admin', aud: 'harbor-registry' });
    expect(p.access).toEqual([
      { type: 'repository', name: 'library/e2e-token', actions: ['push', 'pull'] },
      { type: 'repository', name: 'other/x', actions: ['pull'] },
    ]);
    const anon = JSON.parse((await curl(url.replace('harbor-registry', 'harbor-notary'), c)).body) as { token: string };
    const anonClaims = JSON.parse(Buffer.from(anon.token.split('.')[1]!, 'base64url').toString());
    expect(anonClaims).toMatchObject({ sub: '', aud: 'harbor-notary', access: [{ type: 'repository', name: 'library/e2e-token', actions: ['pull'] }] });
    const bad = await curl(url, { ...c, user: 'admin:wrong' });
    expect(bad.status).toBe(401);
    const other = await curl(url, { ...c, user: `someone:${await adminPassword(ws)}` });
    expect(other.status).toBe(401);
  });

  it("a real docker-registry with token auth and rootcertbundle = data/secret/registry/root.crt accepts the tokens and refuses altered ones", async () => {
    const dir = path.join(ws.dir, 'token-registry');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(ws.dataDir, 'secret/registry/root.crt'), path.join(dir, 'root.crt'));
    await fs.chmod(path.join(dir, 'root.crt'), 0o644);
    writeFileSync(
      path.join(dir, 'config.yml'),
      [
        'version: 0.1',
        'log: {level: info}',
        'storage: {inmemory: {}}',
        'http: {addr: ":5000"}',
        'auth:',
        '  token:',
        `    realm: https://${registry}/service/token`,
        '    service: harbor-registry',
        '    issuer: harbor-token-issuer',
        '    rootcertbundle: /etc/registry/root.crt',
        '',
      ].join('\n'),
    );
    const port = await freePort([ws.httpPort, ws.httpsPort]);
    const name = `regctl-e2e-token-registry-${port}`;
    side.push(name);
    const run = await execa('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:5000`, '-v', `${dir}:/etc/registry:ro`, images.refs.registry, '/usr/bin/docker-registry', 'serve', '/etc/registry/config.yml'], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const get = async (p: string, token?: string) => {
      for (let i = 0; ; i++) {
        const r = await execa('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-K', '-', `http://127.0.0.1:${port}${p}`], {
          input: token ? `header = "Authorization: Bearer ${token}"\n` : '',
          reject: false,
        });
        if (r.exitCode === 0) return Number(r.stdout);
        if (i > 50) throw new Error(`the token registry does not answer: ${r.stderr}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    expect(await get('/v2/')).toBe(401);
    const token = async (service: string, scope: string) => {
      const r = await curl(`https://${registry}/service/token?service=${service}&scope=${scope}`, { resolve: `${registry}:127.0.0.1`, cacert: ws.caFile, user: `admin:${await adminPassword(ws)}` });
      return (JSON.parse(r.body) as { token: string }).token;
    };
    const t = await token('harbor-registry', 'repository:library/e2e-token:pull');
    expect(await get('/v2/', t)).toBe(200);
    // authorised for the repository, which this empty registry does not have: 404, not 401
    expect(await get('/v2/library/e2e-token/tags/list', t)).toBe(404);
    // no access to another repository
    expect(await get('/v2/library/other/tags/list', t)).toBe(401);
    // a token for the notary service is not one for the registry
    expect(await get('/v2/', await token('harbor-notary', 'repository:library/e2e-token:pull'))).toBe(401);
    // a changed claim breaks the signature
    const [hh, pp, ss] = t.split('.');
    const claims = JSON.parse(Buffer.from(pp!, 'base64url').toString());
    claims.sub = 'root';
    expect(await get('/v2/', `${hh}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${ss}`)).toBe(401);
    const logs = await execa('docker', ['logs', name], { reject: false });
    expect(logs.stderr + logs.stdout).not.toMatch(/untrusted key/);
  });
});
