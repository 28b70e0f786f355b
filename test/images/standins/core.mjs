// STAND-IN for goharbor/harbor-core (test image). What it does like Harbor's core:
//  - /api/v2.0/ping answers "Pong" (the image's HEALTHCHECK path);
//  - /api/v2.0/health probes the other components over the compose network (PostgreSQL
//    protocol handshake, Redis PING, HTTP health paths) and reports {"status": ..., "components"};
//  - /v2/ without credentials answers 401 with the Bearer challenge whose realm is
//    EXT_ENDPOINT/service/token (what clients follow to log in);
//  - /v2/ with Basic credentials is forwarded to the real registry at REGISTRY_URL, which checks
//    them against its htpasswd file (core uses REGISTRY_CREDENTIAL_* the same way).
// What it does not do: users, projects, tokens, the database schema. It exits 1 when
// /etc/core/ca/regctl-test-crash-core exists (data_volume/ca_download on the host; tests use it to
// simulate a crashing component).
import http from 'node:http';
import net from 'node:net';
import { serve, log, json, requireReadable, crashIfRequested, exitOnSignals } from './lib.mjs';

const name = 'harbor-core';
const env = process.env;
exitOnSignals(name);
crashIfRequested(name, '/etc/core/ca/regctl-test-crash-core');
requireReadable(name, ['/etc/core/app.conf', '/etc/core/key', '/etc/core/private_key.pem']);
for (const k of ['EXT_ENDPOINT', 'REGISTRY_URL', 'POSTGRESQL_HOST', '_REDIS_URL_CORE']) {
  if (!env[k]) {
    log(name, `${k} is not set in core/env; exiting`);
    process.exit(1);
  }
}
log(name, `starting (stand-in), public endpoint ${env.EXT_ENDPOINT}`);

const realm = `${env.EXT_ENDPOINT.replace(/\/+$/, '')}/service/token`;

function unauthorized(res) {
  json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized to access repository', detail: null }] }, {
    'WWW-Authenticate': `Bearer realm="${realm}",service="harbor-registry"`,
    'Docker-Distribution-Api-Version': 'registry/2.0',
  });
}

function forwardToRegistry(req, res) {
  const target = new URL(req.url, env.REGISTRY_URL);
  // like Go's ReverseProxy, keep the client's Host: the registry builds upload Locations from it
  const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
    if (up.statusCode === 401) {
      up.resume();
      return unauthorized(res);
    }
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (err) => json(res, 502, { errors: [{ code: 'UNKNOWN', message: `registry: ${err.message}` }] }));
  req.pipe(upstream);
}

function withTimeout(promise, ms, what) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: timeout`)), ms))]);
}

function tcpExchange(host, port, send, check) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port }, () => sock.write(send));
    sock.once('data', (d) => {
      sock.destroy();
      check(d) ? resolve() : reject(new Error(`unexpected answer from ${host}:${port}`));
    });
    sock.once('error', reject);
  });
}

function httpOk(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (r) => {
        r.resume();
        r.statusCode === 200 ? resolve() : reject(new Error(`${url}: HTTP ${r.statusCode}`));
      })
      .on('error', reject);
  });
}

const pgSslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const redisUrl = new URL(env._REDIS_URL_CORE);
const componentChecks = {
  core: async () => {},
  database: () =>
    tcpExchange(env.POSTGRESQL_HOST, Number(env.POSTGRESQL_PORT || 5432), pgSslRequest, (d) => d[0] === 0x4e || d[0] === 0x53),
  redis: () =>
    tcpExchange(redisUrl.hostname, Number(redisUrl.port || 6379), 'PING\r\n', (d) => d.toString().startsWith('+PONG')),
  registry: () => httpOk(new URL('/', env.REGISTRY_URL)),
  registryctl: () => httpOk(new URL('/api/health', env.REGISTRY_CONTROLLER_URL || 'http://registryctl:8080')),
  portal: () => httpOk(env.PORTAL_URL || 'http://portal:8080'),
  jobservice: () => httpOk(new URL('/api/v1/stats', env.JOBSERVICE_URL || 'http://jobservice:8080')),
};

async function health(res) {
  const components = await Promise.all(
    Object.entries(componentChecks).map(async ([component, check]) => {
      try {
        await withTimeout(check(), 3000, component);
        return { name: component, status: 'healthy' };
      } catch (err) {
        return { name: component, status: 'unhealthy', error: err.message };
      }
    }),
  );
  const status = components.every((c) => c.status === 'healthy') ? 'healthy' : 'unhealthy';
  json(res, 200, { status, components });
}

serve(name, Number(env.PORT || 8080), (req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/api/v2.0/ping') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    return res.end('Pong');
  }
  if (path === '/api/v2.0/health') return health(res);
  if (path === '/v2' || path.startsWith('/v2/')) {
    if (!/^Basic /i.test(req.headers.authorization ?? '')) return unauthorized(res);
    return forwardToRegistry(req, res);
  }
  if (path.startsWith('/service/token')) {
    return json(res, 501, { errors: [{ code: 'UNSUPPORTED', message: 'token service is not part of the harbor-core stand-in' }] });
  }
  json(res, 404, { errors: [{ code: 'NOT_FOUND', message: `${path} (harbor-core stand-in)` }] });
});
