/**
 * End to end on the real Docker engine: the token service and Docker Content Trust.
 *
 *  1. v2.15.2: `docker login` as admin goes through the harbor-core STAND-IN's /service/token
 *     (Basic admin:HARBOR_ADMIN_PASSWORD → RS256 JWT signed with data/secret/core/private_key.pem)
 *     and a `docker push` with the token reaches the real registry; a second, real Debian
 *     docker-registry configured for token auth with rootcertbundle data/secret/registry/root.crt
 *     (distribution's own verification: kid = libtrust key ID, issuer, audience, signature) accepts
 *     those tokens and refuses altered ones — the token pair regctl renders matches.
 *  2. v2.8.6 with --with-notary: Debian's real notary-server and notary-signer (schema applied by
 *     the image, databases created by harbor-db at initdb) → all containers up → docker login →
 *     `DOCKER_CONTENT_TRUST=1 docker push` signs the tag through https://HOST:4443 (nginx → notary
 *     → signer) → the notary client lists the signed tag and digest → install again changes
 *     nothing → `regctl down` and install again: the signer's keys (private_keys, encrypted with
 *     defaultalias) and the TUF data are still there, and a second signed push works.
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
import { regctl, events } from './helpers/cli.js';
import { makeE2eWorkspace, treeHash, envFile, containerStates, projectOf, hostAddress, freePort, canBind, removeE2eWorkspace, type E2eWorkspace } from './helpers/workspace.js';
import { curl } from './helpers/curl.js';
import { NOTARY_PORT, stateWhenUp, waitForNotaryServer } from './helpers/notary.js';
import { ensureImageSet, TEST_IMAGE_PREFIX, type ImageSetResult } from '../images/image-set.js';
import { findRelease } from '../../src/releases/index.js';

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

/** directories `regctl cert trust` may create on the host; removed again when they were not there */
const HOST_DIRS = ['/etc/docker/certs.d', '/var/lib/regctl/trust', '/var/lib/regctl'];
const hostDirsBefore = new Map<string, boolean>();

/** trust the test CA for host:port in dockerd (certs.d), through regctl itself */
async function trustForDockerd(ws: E2eWorkspace, registry: string): Promise<void> {
  for (const d of HOST_DIRS) if (!hostDirsBefore.has(d)) hostDirsBefore.set(d, existsSync(d));
  const r = await regctl(['cert', 'trust', '--ca', ws.caFile, '--registry', registry, '--targets', 'docker']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(existsSync(`/etc/docker/certs.d/${registry}/ca.crt`)).toBe(true);
}

async function untrustForDockerd(registry: string): Promise<void> {
  const r = await regctl(['cert', 'untrust', '--registry', registry]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(existsSync(`/etc/docker/certs.d/${registry}`)).toBe(false);
  // rmdir only removes them empty: another run's CA or manifest keeps them
  for (const d of HOST_DIRS) if (hostDirsBefore.get(d) === false) await fs.rmdir(d).catch(() => {});
}

/** a tiny image to push: the image set's busybox, tagged `ref` */
async function tagTestImage(images: ImageSetResult, ref: string): Promise<void> {
  const r = await execa('docker', ['tag', images.busybox, ref], { reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
}

async function removeTags(refs: string[]): Promise<void> {
  if (refs.length) await execa('docker', ['rmi', ...refs], { reject: false });
}

/** What both stacks undo: the tags, the trust given to dockerd, the stack and its workspace, the lock. */
async function tearDown(ws: E2eWorkspace | undefined, registry: string, tags: string[], releaseLock: () => Promise<void>): Promise<void> {
  await removeTags(tags);
  if (registry) await untrustForDockerd(registry);
  await removeE2eWorkspace(ws);
  await releaseLock();
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
    await tearDown(ws, registry, tags, releaseLock);
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

  it('regctl verify as admin passes every step on Harbor: library/regctl-verify-probe, same digest pushed, pulled and served, then deleted', async () => {
    const password = await adminPassword(ws);
    const r = await regctl(['verify', '--registry', registry, '--username', 'admin', '--password-stdin', '--json'], { input: password, env: clients.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const data = JSON.parse(r.stdout.trim().split('\n').pop()!).data as { steps: { id: string; status: string }[]; digests: Record<string, string>; repository: string; deletion: string; tag: string };
    expect(Object.fromEntries(data.steps.map((s) => [s.id, s.status]))).toEqual({ connect: 'done', login: 'done', build: 'done', push: 'done', pull: 'done', api: 'done', delete: 'done', cleanup: 'done' });
    expect(data.repository).toBe('library/regctl-verify-probe');
    expect(data.digests.pulled).toBe(data.digests.pushed);
    expect(data.digests.api).toBe(data.digests.pushed);
    expect(data.deletion).toBe('deleted');
    // the real registry behind the stand-in core stored it, and the delete removed its revision
    const repo = path.join(ws.dataDir, 'registry/docker/registry/v2/repositories/library/regctl-verify-probe/_manifests');
    expect(existsSync(path.join(repo, 'revisions/sha256'))).toBe(true);
    expect(existsSync(path.join(repo, 'revisions/sha256', data.digests.pushed!.slice(7), 'link'))).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(password);
    // the client's DOCKER_CONFIG got no entry from verify (it logs in with its own temp one)
    const config = JSON.parse(await fs.readFile(path.join(clients.env.DOCKER_CONFIG!, 'config.json'), 'utf8'));
    expect(Object.keys(config.auths)).toEqual([registry]);
  });

  it('install --verify (again, the CA now trusted by dockerd) comes back healthy and runs verify as admin with the password from harbor.yml', async () => {
    const password = await adminPassword(ws);
    const r = await regctl(['install', '--config', ws.configPath, '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180', '--yes', '--verify'], { env: { DOCKER_CONFIG: clients.env.DOCKER_CONFIG } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/pull it back and compare digests/);
    expect(r.stdout).toMatch(new RegExp(`${registry.replace(/\./g, '\\.')} works with docker: pushed, pulled and listed ${registry.replace(/\./g, '\\.')}/library/regctl-verify-probe:v\\S+ \\(sha256:[0-9a-f]{64}\\), then deleted it`));
    expect(r.stdout + r.stderr).not.toContain(password);
  });
});

const v286 = findRelease('2.8.6');

describeWithDocker('e2e: Docker Content Trust with --harbor-version 2.8.6 --with-notary (real notary, real engine)', () => {
  let ws: E2eWorkspace;
  let clients: Clients;
  let images: ImageSetResult;
  let releaseLock: () => Promise<void> = async () => {};
  let registry = '';
  let trustServer = '';
  let secretsBefore = '';
  let signedDigest = '';
  let signerKeys = '';
  const tags: string[] = [];
  const install = (extra: string[] = []) =>
    regctl(['install', '--config', ws.configPath, '--harbor-version', '2.8.6', '--with-notary', '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180', '--yes', ...extra]);
  const signedEnv = { DOCKER_CONTENT_TRUST: '1', DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'e2e-root-passphrase', DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'e2e-repo-passphrase' };
  const notaryList = async (gun: string) => {
    // a fresh trust dir each time: what the server has, not what this client cached
    const trustDir = await fs.mkdtemp(path.join(clients.dir, 'notary-'));
    return execa('notary', ['-s', trustServer, '--tlscacert', ws.caFile, '-d', trustDir, 'list', gun], { env: clients.env, reject: false });
  };
  const psql = async (db: string, sql: string) => {
    // the password stays inside the container (db/env is its env_file)
    const r = await execa('docker', ['exec', 'harbor-db', 'sh', '-c', `PGPASSWORD="$POSTGRES_PASSWORD" "$PGBIN/psql" -h 127.0.0.1 -U postgres -d ${db} -Atc "$1"`, 'sh', sql], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    return r.stdout.trim();
  };

  const notaryReady = () => waitForNotaryServer(ws);

  beforeAll(async () => {
    if (!v286) throw new Error('this regctl has no Harbor 2.8.6 release line (src/releases/v2.8.6.ts)');
    images = await ensureImageSet({ release: v286, log: (l) => console.log(`[image set 2.8.6] ${l}`) });
    console.log(`[image set 2.8.6] ${images.built.length} built, ${images.reused.length} reused in ${images.seconds.toFixed(1)}s`);
    releaseLock = await lockHarborNames();
    if (!(await canBind(NOTARY_PORT))) throw new Error(`port ${NOTARY_PORT} (Harbor's fixed Notary port) is in use on this host`);
    // examples/harbor.yml is the 2.15 template: without the keys the 2.8 line does not read
    const keysAfter28 = ['trivy.skip_java_db_update', 'trivy.db_repository', 'trivy.java_db_repository', 'jobservice.max_job_duration_hours', 'jobservice.job_loggers'];
    ws = await makeE2eWorkspace('regctl-e2e-notary', { _version: '2.8.0', ...Object.fromEntries(keysAfter28.map((k) => [k, undefined])) }, { hostname: hostAddress() });
    registry = `${ws.hostname}:${ws.httpsPort}`;
    trustServer = `https://${ws.hostname}:${NOTARY_PORT}`;
    clients = await makeClients(ws);
    await trustForDockerd(ws, registry);
    // the docker client's CA for the trust server (cli/trust: <config dir>/tls/<host:port>/ca.crt)
    const tls = path.join(clients.env.DOCKER_CONFIG!, 'tls', `${ws.hostname}:${NOTARY_PORT}`);
    mkdirSync(tls, { recursive: true });
    copyFileSync(ws.caFile, path.join(tls, 'ca.crt'));
  });

  afterAll(() => tearDown(ws, registry, tags, releaseLock));

  it('install starts every container, notary-server and notary-signer included; the schema was applied', async () => {
    const r = await install(['--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = events(r.stdout).at(-1) as { data: { containers: number; timings: { totalMs: number; upToHealthyMs: number } } };
    console.log(`[install 2.8.6 notary] total ${(result.data.timings.totalMs / 1000).toFixed(1)}s, up→healthy ${(result.data.timings.upToHealthyMs / 1000).toFixed(1)}s`);
    const states = await containerStates(projectOf(ws));
    expect(Object.keys(states)).toEqual(expect.arrayContaining(['notary-server', 'notary-signer', 'harbor-core', 'harbor-db', 'nginx', 'registry']));
    for (const [name, st] of Object.entries(states)) {
      expect(`${name} ${st}`).toBe(`${name} ${stateWhenUp(name)}`);
    }
    expect(result.data.containers).toBe(Object.keys(states).length);
    // "running" is all regctl (and compose) can wait for here; notary-server first waits for
    // harbor-db's first initdb and applies the schema, then listens
    console.log(`[install 2.8.6 notary] notary-server answering through nginx ${(await notaryReady()) / 1000}s after install returned`);
    const server = await execa('docker', ['logs', 'notary-server'], { reject: false });
    expect(server.stdout + server.stderr).toContain('notaryserver database migrated to latest version (2)');
    const signer = await execa('docker', ['logs', 'notary-signer'], { reject: false });
    expect(signer.stdout + signer.stderr).toContain('notarysigner database migrated to latest version (1)');
    expect(await psql('notaryserver', 'SELECT version, dirty FROM schema_migrations')).toBe('2|f');
    expect(await psql('notarysigner', "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")).toBe('private_keys,schema_migrations');
    secretsBefore = await treeHash(path.join(ws.dataDir, 'secret'));
  });

  it('notary-server answers through nginx on 4443 with the Bearer challenge of service harbor-notary', async () => {
    const r = await curl(`${trustServer}/v2/`, { resolve: `${ws.hostname}:${NOTARY_PORT}:127.0.0.1`, cacert: ws.caFile });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe(`Bearer realm="https://${registry}/service/token",service="harbor-notary",scope="registry:catalog:*"`);
  });

  it('DOCKER_CONTENT_TRUST=1 docker push signs the tag; notary list shows it with the pushed digest', async () => {
    const login = await docker(clients, ['login', registry, '-u', 'admin', '--password-stdin'], { input: await adminPassword(ws) });
    expect(login.exitCode, login.stdout + login.stderr).toBe(0);
    const ref = `${registry}/library/e2e-signed:v1`;
    tags.push(ref);
    await tagTestImage(images, ref);
    const push = await docker(clients, ['push', ref], { env: { ...signedEnv, DOCKER_CONTENT_TRUST_SERVER: trustServer } });
    expect(push.exitCode, push.stdout + push.stderr).toBe(0);
    expect(push.stdout + push.stderr).toMatch(/Signing and pushing trust metadata/);
    expect(push.stdout + push.stderr).toMatch(/Successfully signed .*e2e-signed:v1/);
    signedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)![1]!;
    const list = await notaryList(`${registry}/library/e2e-signed`);
    expect(list.exitCode, list.stdout + list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^v1\\s+${signedDigest.slice(7)}\\s+\\d+\\s+targets`, 'm'));
    // the signer holds the timestamp key (encrypted with defaultalias), the server the TUF files
    signerKeys = await psql('notarysigner', "SELECT string_agg(key_id || ':' || role || ':' || passphrase_alias, ',' ORDER BY key_id) FROM private_keys");
    expect(signerKeys).toMatch(/:timestamp:defaultalias/);
    expect(await psql('notaryserver', `SELECT string_agg(DISTINCT role, ',' ORDER BY role) FROM tuf_files WHERE gun = '${registry}/library/e2e-signed'`)).toBe('root,snapshot,targets,timestamp');
    const inspect = await docker(clients, ['trust', 'inspect', ref], { env: { DOCKER_CONTENT_TRUST_SERVER: trustServer } });
    expect(inspect.exitCode, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout)[0].SignedTags).toEqual([expect.objectContaining({ SignedTag: 'v1', Digest: signedDigest.slice(7) })]);
  });

  it('install again changes nothing; secrets, signer keys and the signed tag are kept', async () => {
    const skip = (rel: string) => /^(data|log|client|certs)(\/|$)/.test(rel);
    const before = await treeHash(ws.dir, skip);
    const r = await install();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const changes = r.stdout.split('\n').filter((l) => /^\s+(create|change|remove)\s/.test(l)).map((l) => l.trim().replace(/\s+/, ' '));
    expect(changes.filter((c) => c !== 'remove install:common/config/registry/root.crt'), r.stdout).toEqual([]);
    expect(await treeHash(ws.dir, skip)).toBe(before);
    await notaryReady();
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    expect(await psql('notarysigner', "SELECT string_agg(key_id || ':' || role || ':' || passphrase_alias, ',' ORDER BY key_id) FROM private_keys")).toBe(signerKeys);
    const list = await notaryList(`${registry}/library/e2e-signed`);
    expect(list.stdout).toContain(signedDigest.slice(7));
  });

  it('after regctl down and install: defaultalias and the signer keys still sign a new tag', async () => {
    const down = await regctl(['down', '--config', ws.configPath]);
    expect(down.code, down.stderr).toBe(0);
    expect(await containerStates(projectOf(ws))).toEqual({});
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    const r = await install();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await notaryReady();
    expect(await psql('notarysigner', "SELECT string_agg(key_id || ':' || role || ':' || passphrase_alias, ',' ORDER BY key_id) FROM private_keys")).toBe(signerKeys);
    const ref = `${registry}/library/e2e-signed:v2`;
    tags.push(ref);
    await tagTestImage(images, ref);
    // signing v2 needs the timestamp key the signer stored at v1, decrypted with defaultalias
    const push = await docker(clients, ['push', ref], { env: { ...signedEnv, DOCKER_CONTENT_TRUST_SERVER: trustServer } });
    expect(push.exitCode, push.stdout + push.stderr).toBe(0);
    const list = await notaryList(`${registry}/library/e2e-signed`);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^v1\s/m);
    expect(list.stdout).toMatch(/^v2\s/m);
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
  });
});
