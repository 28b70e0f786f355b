/**
 * The rendered registry config and passwd, run by a real registry: Debian's docker-registry
 * (distribution 2.8) with a real redis-server for the layerinfo cache, and Apache's htpasswd.
 *
 * The only edits made to the rendered config are the host-side paths and listen addresses (a
 * container would have /storage, /etc/registry/passwd and its own network namespace): storage root,
 * htpasswd path, TLS cert/key paths, http/debug/redis addresses on loopback. Everything else, the
 * redis credentials, db index and timeouts included, is used as rendered.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parse, stringify } from 'yaml';
import bcrypt from 'bcryptjs';
import { registryRenderer } from '../../src/render/components/registry.js';
import type { HarborConfig } from '../../src/config/model.js';
import { baseModel, ctxOf, fileAt, fixedSecrets, internalTlsModel } from './fixtures/model-r2.js';
import { tempDirSync } from '../helpers/tmp.js';
import { freePort, start, stop, stopAll, waitFor } from '../helpers/processes.js';

const USER = 'harbor_registry_user';
const PASSWORD = 'Rg7pQ2xZk9LmN4bV8cW1dF6hJ3sT5yA0';
// Harbor's unquoted template would break on this one (': ' starts a mapping, ' #' a comment).
const REDIS_PASSWORD = 'p@ss: w #rd';

let work: string;
let redisPort: number;

/** a process of the shared helper, whose output is also kept in logFile once it exits (read after a failure) */
function startLogged(cmd: string, args: string[], logFile: string): ChildProcess {
  const started = start(cmd, args);
  started.proc.on('exit', () => writeFileSync(logFile, started.log()));
  return started.proc;
}

function redisCli(...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(redisPort), '--no-auth-warning', '-a', REDIS_PASSWORD, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** The kept htpasswd line as regctl's secrets store makes it: bcrypt cost 5, Apache's $2y$ prefix. */
function htpasswdLine(): string {
  return `${USER}:${bcrypt.hashSync(PASSWORD, 5).replace(/^\$2b\$/, '$2y$')}`;
}

/** A model whose redis needs the (URL-encoded) password the local redis-server was started with. */
function modelWithRedis(m: HarborConfig, db = 3): HarborConfig {
  const enc = encodeURIComponent(REDIS_PASSWORD);
  m.redis.urls.registry = `redis://:${enc}@redis:6379/${db}?idle_timeout_seconds=30`;
  return m;
}

interface Running {
  base: string;
  debugBase: string;
  dir: string;
  proc: ChildProcess;
  fetchV2(auth?: boolean, pathname?: string, init?: { method?: string; body?: Buffer }): Promise<{ status: number; headers: Record<string, string>; body: string }>;
}

/** Render, relocate host paths/addresses only, and start docker-registry on the result. */
async function runRegistry(name: string, m: HarborConfig, tls?: { cert: string; key: string; ca: string }): Promise<Running> {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'storage'), { recursive: true });
  const ctx = ctxOf(m, {}, { ...fixedSecrets(), registryPassword: PASSWORD, registryHtpasswd: htpasswdLine() });
  const entries = registryRenderer.render(ctx);
  const cfg = parse(fileAt(entries, 'common/config/registry/config.yml').content.toString());
  writeFileSync(path.join(dir, 'passwd'), fileAt(entries, 'common/config/registry/passwd').content);

  const [httpPort, debugPort] = [await freePort(), await freePort()];
  cfg.storage.filesystem.rootdirectory = path.join(dir, 'storage');
  cfg.auth.htpasswd.path = path.join(dir, 'passwd');
  cfg.redis.addr = `127.0.0.1:${redisPort}`;
  cfg.http.addr = `127.0.0.1:${httpPort}`;
  cfg.http.debug.addr = `127.0.0.1:${debugPort}`;
  if (tls) {
    cfg.http.tls.certificate = tls.cert;
    cfg.http.tls.key = tls.key;
  }
  const cfgPath = path.join(dir, 'config.yml');
  writeFileSync(cfgPath, stringify(cfg));

  const proc = startLogged('docker-registry', ['serve', cfgPath], path.join(dir, 'registry.log'));
  const scheme = tls ? 'https' : 'http';
  const base = `${scheme}://127.0.0.1:${httpPort}`;
  const ca = tls ? readFileSync(tls.ca) : undefined;

  const fetchV2: Running['fetchV2'] = (auth = false, pathname = '/v2/', init = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (auth) headers.authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      if (init.body) headers['content-length'] = String(init.body.length);
      const url = new URL(pathname, base);
      const req = (tls ? https : http).request(url, { method: init.method ?? 'GET', headers, ...(ca ? { ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks).toString() }),
        );
      });
      req.on('error', reject);
      req.end(init.body);
    });

  await waitFor(`docker-registry (${name}); log in ${dir}`, async () => {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}`);
    return fetchV2();
  });
  return { base, debugBase: `http://127.0.0.1:${debugPort}`, dir, proc, fetchV2 };
}

/** These are real binaries, not stand-ins: fail loudly with the package to install when one is missing. */
function requireBinary(bin: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`${bin} is not installed: apt-get install -y ${pkg} (.ci/run installs it)`);
  }
}

beforeAll(async () => {
  requireBinary('docker-registry', 'docker-registry');
  requireBinary('redis-server', 'redis-server');
  requireBinary('redis-cli', 'redis-tools');
  requireBinary('htpasswd', 'apache2-utils');
  work = tempDirSync('regctl-registry-real'); // removed after the file, after the afterAll below stops its servers
  redisPort = await freePort();
  startLogged(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work, '--requirepass', REDIS_PASSWORD],
    path.join(work, 'redis.log'),
  );
  await waitFor('redis-server', async () => {
    if (redisCli('ping') !== 'PONG') throw new Error('no PONG');
  });
});

afterAll(stopAll);

describe('rendered passwd', () => {
  it('verifies with Apache htpasswd for harbor_registry_user and rejects a wrong password', () => {
    const file = path.join(work, 'passwd-check');
    const ctx = ctxOf(baseModel(), {}, { ...fixedSecrets(), registryPassword: PASSWORD, registryHtpasswd: htpasswdLine() });
    writeFileSync(file, fileAt(registryRenderer.render(ctx), 'common/config/registry/passwd').content);
    expect(() => execFileSync('htpasswd', ['-vb', file, USER, PASSWORD], { stdio: 'pipe' })).not.toThrow();
    expect(() => execFileSync('htpasswd', ['-vb', file, USER, 'wrong-password'], { stdio: 'pipe' })).toThrow();
  });
});

describe('rendered registry config.yml in a real docker-registry', () => {
  it('starts, answers /v2/ with 401 and the Harbor realm, 200 with the credential, and caches layer info in the configured redis db', async () => {
    const r = await runRegistry('plain', modelWithRedis(baseModel(), 3));
    const anon = await r.fetchV2();
    expect(anon.status).toBe(401);
    expect(anon.headers['www-authenticate']).toBe('Basic realm="harbor-registry-basic-realm"');
    expect((await r.fetchV2(true)).status).toBe(200);

    // push one blob: storage writes go to the rendered filesystem driver, descriptors to redis db 3
    const blob = Buffer.from('regctl registry smoke blob\n');
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const started = await r.fetchV2(true, '/v2/smoke/test/blobs/uploads/', { method: 'POST' });
    expect(started.status).toBe(202);
    const loc = new URL(started.headers.location!, r.base);
    loc.searchParams.set('digest', digest);
    const put = await r.fetchV2(true, loc.pathname + loc.search, { method: 'PUT', body: blob });
    expect(put.status).toBe(201);
    expect((await r.fetchV2(true, `/v2/smoke/test/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
    expect(redisCli('-n', '3', 'keys', '*')).toContain(digest);
    expect(redisCli('-n', '0', 'keys', '*')).toBe('');
    await stop(r.proc);
  });

  it('metrics enabled: prometheus metrics on the debug listener at the metric path', async () => {
    const m = modelWithRedis(baseModel(), 1);
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    const r = await runRegistry('metrics', m);
    expect((await r.fetchV2()).status).toBe(401);
    const res = await fetch(`${r.debugBase}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^registry_/m);
    await stop(r.proc);
  });

  it('internal TLS: serves /v2/ over TLS with the certificate and key at the rendered tls paths', async () => {
    const dir = path.join(work, 'tls-certs');
    mkdirSync(dir, { recursive: true });
    const cert = path.join(dir, 'registry.crt');
    const key = path.join(dir, 'registry.key');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=registry',
      '-addext', 'subjectAltName=DNS:registry,IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'pipe' });
    const m = modelWithRedis(internalTlsModel(), 1);
    const r = await runRegistry('tls', m, { cert, key, ca: cert });
    expect(r.base.startsWith('https://')).toBe(true);
    const anon = await r.fetchV2();
    expect(anon.status).toBe(401);
    expect((await r.fetchV2(true)).status).toBe(200);
    await stop(r.proc);
  });
});
