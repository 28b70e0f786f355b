// STAND-IN for goharbor/harbor-core (test image). What it does like Harbor's core:
//  - /api/v2.0/ping answers "Pong" (the image's HEALTHCHECK path);
//  - /api/v2.0/health probes the other components over the compose network (PostgreSQL
//    protocol handshake, Redis PING, HTTP health paths) and reports {"status": ..., "components"};
//  - /service/token is a token service: Basic credentials of user admin are checked against
//    HARBOR_ADMIN_PASSWORD (core/env), anonymous requests get pull on the public project
//    `library` only; it issues docker/distribution bearer tokens (JWT, RS256, signed with
//    /etc/core/private_key.pem, header kid = libtrust key ID of that key's public half, iss
//    harbor-token-issuer, aud = the `service` parameter: harbor-registry or harbor-notary, access =
//    every scope asked for, for admin). Whoever verifies them against data/secret/registry/root.crt
//    (notary-server's rootcertbundle, a registry's auth.token.rootcertbundle) so checks the pair;
//  - /v2/ without credentials answers 401 with the Bearer challenge whose realm is
//    EXT_ENDPOINT/service/token (what clients follow to log in);
//  - /v2/ with a bearer token from /service/token (signature, issuer, audience harbor-registry,
//    expiry and the access it grants checked) is forwarded to the real registry at REGISTRY_URL
//    with the registry credential REGISTRY_CREDENTIAL_* (core/env), as Harbor's core does;
//  - /v2/ with Basic credentials is forwarded as they are to the registry, which checks them
//    against its htpasswd file.
// What it does not do: users other than admin, projects, robot accounts, the database schema;
// the token service grants admin whatever is asked for. It exits 1 when
// /etc/core/ca/regctl-test-crash-core exists (data_volume/ca_download on the host; tests use it to
// simulate a crashing component). When /etc/core/ca/regctl-test-dirty-schema holds this image's
// release (REGCTL_STANDIN_RELEASE, e.g. v2.14.4), it plays a failed schema migration: it sets
// schema_migrations.dirty = true through psql (the password from core/env, in the environment)
// and exits 1 with Harbor's message, like real core does on a dirty database.
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import { createHash, createPrivateKey, createPublicKey, createSign, createVerify, randomUUID, timingSafeEqual } from 'node:crypto';
import { serve, log, json, requireReadable, crashIfRequested, exitOnSignals } from './lib.mjs';

const name = 'harbor-core';
const env = process.env;
exitOnSignals(name);
crashIfRequested(name, '/etc/core/ca/regctl-test-crash-core');
dirtySchemaIfRequested('/etc/core/ca/regctl-test-dirty-schema');

function dirtySchemaIfRequested(file) {
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8').trim() !== env.REGCTL_STANDIN_RELEASE) return;
  const sql = 'UPDATE schema_migrations SET dirty = true; SELECT max(version) FROM schema_migrations;';
  const r = spawnSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', env.POSTGRESQL_HOST, '-p', String(env.POSTGRESQL_PORT || 5432), '-U', env.POSTGRESQL_USERNAME, '-d', env.POSTGRESQL_DATABASE], { input: sql, encoding: 'utf8', env: { ...env, PGPASSWORD: env.POSTGRESQL_PASSWORD } });
  log(name, `failed to migrate the database (requested by ${file}): Dirty database version ${(r.stdout || '').trim() || '?'}. Fix and force version. ${r.stderr || ''}`.trim());
  process.exit(1);
}
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

function forwardToRegistry(req, res, headers = req.headers) {
  const target = new URL(req.url, env.REGISTRY_URL);
  // like Go's ReverseProxy, keep the client's Host: the registry builds upload Locations from it
  const upstream = http.request(target, { method: req.method, headers }, (up) => {
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

// ---- token service ------------------------------------------------------------------------

const ISSUER = 'harbor-token-issuer';
const TOKEN_SECONDS = 30 * 60; // Harbor's token_expiration default (minutes: 30)
const signingKey = createPrivateKey(fs.readFileSync('/etc/core/private_key.pem'));
const verifyKey = createPublicKey(signingKey);

/** docker/libtrust keyIDFromCryptoKey: SHA-256 of the PKIX DER public key, first 240 bits,
 * base32 (RFC 4648, 48 characters), in 12 groups of 4 joined by ':'. */
function libtrustKeyId(publicKey) {
  const sum = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of sum) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g).join(':');
}
const KEY_ID = libtrustKeyId(verifyKey);

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function issueToken(subject, audience, access) {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', kid: KEY_ID };
  const claims = { iss: ISSUER, sub: subject, aud: audience, exp: now + TOKEN_SECONDS, nbf: now - 1, iat: now, jti: randomUUID(), access };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = createSign('RSA-SHA256').update(input).sign(signingKey);
  return { token: `${input}.${b64url(sig)}`, expires_in: TOKEN_SECONDS, issued_at: new Date(now * 1000).toISOString() };
}

/** The claims of a token this service issued for `audience`, or undefined. */
function verifyToken(raw, audience) {
  const parts = raw.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    if (header.alg !== 'RS256' || header.kid !== KEY_ID) return undefined;
    const ok = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(verifyKey, Buffer.from(parts[2], 'base64url'));
    if (!ok) return undefined;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== ISSUER || claims.aud !== audience || !(claims.exp > now) || claims.nbf > now + 60) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** "repository:library/x:push,pull" (the name may contain ':' — a notary GUN has host:port). */
function parseScope(scope) {
  const parts = scope.split(':');
  if (parts.length < 3) return undefined;
  const actions = parts.pop().split(',').filter(Boolean);
  const type = parts.shift();
  return { type, name: parts.join(':'), actions };
}

/** The project of a repository name; a notary GUN starts with the registry's host[:port]. */
function projectOf(name, service) {
  const segs = name.split('/');
  if (service === 'harbor-notary' && segs.length > 2) segs.shift();
  return segs.length > 1 ? segs[0] : undefined;
}

function basicUser(req) {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return { anonymous: true };
  const text = Buffer.from(m[1], 'base64').toString();
  const i = text.indexOf(':');
  return i < 0 ? { bad: true } : { user: text.slice(0, i), password: text.slice(i + 1) };
}

function sameSecret(a, b) {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function tokenService(req, res) {
  const url = new URL(req.url, 'http://core');
  const service = url.searchParams.get('service') ?? '';
  if (service !== 'harbor-registry' && service !== 'harbor-notary') {
    return json(res, 400, { errors: [{ code: 'UNSUPPORTED', message: `unknown service ${JSON.stringify(service)}` }] });
  }
  const who = basicUser(req);
  let subject = '';
  if (!who.anonymous) {
    if (who.bad || who.user !== 'admin' || !env.HARBOR_ADMIN_PASSWORD || !sameSecret(who.password, env.HARBOR_ADMIN_PASSWORD)) {
      log(name, `token: authentication failed for ${JSON.stringify(who.user ?? '')}`);
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] });
    }
    subject = 'admin';
  }
  const access = [];
  for (const s of url.searchParams.getAll('scope').flatMap((v) => v.split(' ')).filter(Boolean)) {
    const scope = parseScope(s);
    if (!scope) continue;
    if (subject === 'admin') access.push(scope);
    else if (scope.type === 'repository' && projectOf(scope.name, service) === 'library' && scope.actions.includes('pull')) {
      access.push({ ...scope, actions: ['pull'] }); // library is public
    }
  }
  log(name, `token: ${subject || 'anonymous'} for ${service}: ${access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' ') || '(no access)'}`);
  json(res, 200, issueToken(subject, service, access));
}

/** What a /v2/ request needs, as (type, name, action); undefined for /v2/ itself. */
function neededAccess(req, path) {
  if (path === '/v2' || path === '/v2/') return undefined;
  if (path === '/v2/_catalog') return { type: 'registry', name: 'catalog', action: '*' };
  const m = /^\/v2\/(.+?)\/(blobs|manifests|tags)\//.exec(path);
  if (!m) return { type: 'repository', name: path.slice(4), action: 'pull' };
  const action = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : req.method === 'DELETE' ? 'delete' : 'push';
  return { type: 'repository', name: m[1], action };
}

function insufficient(res, need) {
  const scope = `${need.type}:${need.name}:${need.action === 'push' ? 'pull,push' : need.action}`;
  json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'insufficient scope', detail: null }] }, {
    'WWW-Authenticate': `Bearer realm="${realm}",service="harbor-registry",scope="${scope}",error="insufficient_scope"`,
    'Docker-Distribution-Api-Version': 'registry/2.0',
  });
}

function withBearer(req, res, path, raw) {
  const claims = verifyToken(raw, 'harbor-registry');
  if (!claims) return unauthorized(res);
  const need = neededAccess(req, path);
  if (need) {
    const granted = (claims.access ?? []).some(
      (a) => a.type === need.type && a.name === need.name && (a.actions.includes(need.action) || a.actions.includes('*')),
    );
    if (!granted) return insufficient(res, need);
  }
  const headers = { ...req.headers };
  const cred = Buffer.from(`${env.REGISTRY_CREDENTIAL_USERNAME}:${env.REGISTRY_CREDENTIAL_PASSWORD}`).toString('base64');
  headers.authorization = `Basic ${cred}`;
  forwardToRegistry(req, res, headers);
}

// ---------------------------------------------------------------------------------------------

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
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
    if (bearer) return withBearer(req, res, path, bearer[1]);
    if (!/^Basic /i.test(auth)) return unauthorized(res);
    return forwardToRegistry(req, res);
  }
  if (path === '/service/token') {
    if (req.method !== 'GET') return json(res, 405, { errors: [{ code: 'UNSUPPORTED', message: `${req.method} /service/token` }] });
    return tokenService(req, res);
  }
  json(res, 404, { errors: [{ code: 'NOT_FOUND', message: `${path} (harbor-core stand-in)` }] });
});
