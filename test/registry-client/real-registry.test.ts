/**
 * regctl registry catalog|tags against real processes, no Docker: Debian's docker-registry
 * (distribution 2.8) started natively on loopback ports, images pushed with skopeo from an OCI
 * layout made here, and a real token service for the Bearer flow.
 *  - A: TLS from a private CA + htpasswd auth (the htpasswd file written by regctl registry user add);
 *    seed:1.0 pushed by skopeo, 250 more repositories made by copying seed's repository directory in
 *    the registry's filesystem storage (links to the same blobs: real repositories, served by the registry).
 *  - B: plain HTTP + `auth: token`: tokens signed RS256 by the token server in token-server.ts.
 * Every output of every run is kept and grepped at the end for passwords, tokens and Basic headers.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonResult, regctl as runRegctl, type CliResult } from '../helpers/cli.js';
import { makeOciLayout } from './helpers/oci-image.js';
import { makePki, makeTokenSigner, type Pki } from './helpers/pki.js';
import { freePort, stopAll } from '../helpers/processes.js';
import { requireBinary, startRegistry, type RunningRegistry } from './helpers/registry.js';
import { startTokenServer, type TokenServer } from './helpers/token-server.js';
import { tempDirSync } from '../helpers/tmp.js';

const PASSWORD = 'S3ed-journey-Pa55word-9f2c';
const WRONG = 'not-the-Pa55word-71ab';
const BOB_PASSWORD = 'b0b-Token-Pa55-1e7d';
const EXTRA_REPOS = 250;

let work: string;
let emptyDockerConfig: string;
let pki: Pki;
let a: RunningRegistry;
let b: RunningRegistry;
let tokens: TokenServer;
let notRegistry: http.Server;
let notRegistryPort: number;
const outputs: string[] = [];

async function regctl(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const r = await runRegctl(args, { input: opts.input, env: { DOCKER_CONFIG: emptyDockerConfig, ...opts.env }, timeoutMs: 60_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

/** async: the token server runs in this process, a synchronous spawn would block it */
async function skopeoCopy(layout: string, dest: string, extra: string[]): Promise<void> {
  await promisify(execFile)('skopeo', ['copy', '--insecure-policy', ...extra, `oci:${layout}:1.0`, `docker://${dest}`], { env: { ...process.env, HOME: work }, timeout: 60_000 });
}

beforeAll(async () => {
  requireBinary('docker-registry', 'docker-registry');
  requireBinary('skopeo', 'skopeo');
  requireBinary('openssl', 'openssl');
  work = tempDirSync('regctl-registry-client');
  emptyDockerConfig = path.join(work, 'docker-empty');
  mkdirSync(emptyDockerConfig);
  pki = makePki(work);
  const layout = makeOciLayout(work, '1.0');

  // A: TLS + htpasswd, the user made by regctl itself
  const htpasswd = path.join(work, 'htpasswd');
  const add = await regctl(['registry', 'user', 'add', 'alice', '--htpasswd', htpasswd, '--password-stdin'], { input: PASSWORD });
  expect(add.code, add.stderr).toBe(0);
  mkdirSync(path.join(work, 'a'));
  a = await startRegistry({ dir: path.join(work, 'a'), tls: { cert: pki.cert, key: pki.key }, htpasswd });
  const certDir = path.join(work, 'skopeo-certs');
  mkdirSync(certDir);
  copyFileSync(pki.caCert, path.join(certDir, 'ca.crt'));
  await skopeoCopy(layout, `${a.name}/seed:1.0`, ['--dest-cert-dir', certDir, '--dest-creds', `alice:${PASSWORD}`]);
  const repos = path.join(a.storage, 'docker', 'registry', 'v2', 'repositories');
  for (let i = 0; i < EXTRA_REPOS; i++) cpSync(path.join(repos, 'seed'), path.join(repos, `many/repo-${String(i).padStart(3, '0')}`), { recursive: true });

  // B: plain HTTP + token auth
  const signer = makeTokenSigner(work);
  tokens = await startTokenServer({ keyFile: signer.key, certFile: signer.cert, issuer: 'regctl-test-issuer', service: 'regctl-test-registry', users: { bob: BOB_PASSWORD } });
  mkdirSync(path.join(work, 'b'));
  b = await startRegistry({ dir: path.join(work, 'b'), token: { realm: tokens.realm, service: 'regctl-test-registry', issuer: 'regctl-test-issuer', rootcertbundle: signer.cert } });
  await skopeoCopy(layout, `${b.name}/seed:1.0`, ['--dest-tls-verify=false', '--dest-creds', `bob:${BOB_PASSWORD}`]);

  // an HTTP server that is not a registry
  notRegistry = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'));
  await new Promise<void>((resolve) => notRegistry.listen(0, '127.0.0.1', resolve));
  notRegistryPort = (notRegistry.address() as AddressInfo).port;
}, 120_000);

afterAll(async () => {
  await stopAll();
  await tokens?.close();
  await new Promise((r) => (notRegistry ? notRegistry.close(r) : r(undefined)));
  if (work) rmSync(work, { recursive: true, force: true });
});

const login = () => ['--username', 'alice', '--password-stdin'];

describe('A: TLS from a private CA, htpasswd auth', () => {
  it('catalog lists seed and every one of the 250 repositories, over 3 pages of 100', async () => {
    const r = await regctl(['registry', 'catalog', a.name, '--ca', pki.caCert, ...login(), '--json'], { input: PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    const env = jsonResult(r.stdout);
    expect(env.data.repositories).toHaveLength(EXTRA_REPOS + 1);
    expect(env.data.repositories).toContain('seed');
    expect(env.data.repositories).toContain('many/repo-249');
    expect(new Set(env.data.repositories).size).toBe(EXTRA_REPOS + 1);
    expect(env.data).toMatchObject({ registry: a.name, pages: 3, auth: 'basic' });
  });

  it('tags lists the pushed tag, in text and JSON', async () => {
    const text = await regctl(['registry', 'tags', `${a.name}/seed`, '--ca', pki.caCert, ...login()], { input: PASSWORD });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.trim()).toBe('1.0');
    const json = await regctl(['registry', 'tags', `${a.name}/many/repo-137`, '--ca', pki.caCert, ...login(), '--json'], { input: PASSWORD });
    expect(jsonResult(json.stdout).data).toMatchObject({ repository: 'many/repo-137', tags: ['1.0'] });
  });

  it('a wrong password is exit 1, E_REGISTRY_AUTH_FAILED naming the user', async () => {
    const r = await regctl(['registry', 'catalog', a.name, '--ca', pki.caCert, ...login(), '--json'], { input: WRONG });
    expect(r.code).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error).toMatchObject({ code: 'E_REGISTRY_AUTH_FAILED' });
    expect(env.error!.message).toContain("user 'alice'");
  });

  it('no credentials: exit 1, E_REGISTRY_AUTH_REQUIRED with the flags to pass', async () => {
    const r = await regctl(['registry', 'catalog', a.name, '--ca', pki.caCert]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_REGISTRY_AUTH_REQUIRED]');
    expect(r.stderr).toContain('--password-stdin');
  });

  it('a CA this machine does not trust: exit 1, the fix is the regctl cert trust line', async () => {
    const r = await regctl(['registry', 'catalog', a.name, ...login(), '--json'], { input: PASSWORD });
    expect(r.code).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error).toMatchObject({ code: 'E_REGISTRY_TLS_UNTRUSTED' });
    expect(env.error!.message).toContain('the system store');
    expect(env.error!.fix).toContain(`regctl cert trust --ca FILE --registry ${a.name}`);
  });

  it('a CA from another PKI given with --ca is refused the same way', async () => {
    const other = makePki(work, 'other');
    const r = await regctl(['registry', 'tags', `${a.name}/seed`, '--ca', other.caCert, ...login()], { input: PASSWORD });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_REGISTRY_TLS_UNTRUSTED]');
    expect(r.stderr).toContain(`--ca ${other.caCert}`);
  });

  it('trusts /etc/docker/certs.d/HOST:PORT/ca.crt under --root, and takes the credentials docker login stored', async () => {
    const root = path.join(work, 'root');
    mkdirSync(path.join(root, 'etc', 'docker', 'certs.d', a.name), { recursive: true });
    copyFileSync(pki.caCert, path.join(root, 'etc', 'docker', 'certs.d', a.name, 'ca.crt'));
    const dockerConfig = path.join(work, 'docker-login');
    mkdirSync(dockerConfig);
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [`https://${a.name}`]: { auth: Buffer.from(`alice:${PASSWORD}`).toString('base64') } } }));
    const r = await regctl(['registry', 'tags', `${a.name}/seed`, '--root', root, '--json'], { env: { DOCKER_CONFIG: dockerConfig } });
    expect(r.code, r.stdout).toBe(0);
    expect(jsonResult(r.stdout).data.tags).toEqual(['1.0']);
  });

  it('a credential helper keeping the credentials is named, not run', async () => {
    const dockerConfig = path.join(work, 'docker-helper');
    mkdirSync(dockerConfig);
    writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [a.name]: {} }, credsStore: 'desktop' }));
    const r = await regctl(['registry', 'catalog', a.name, '--ca', pki.caCert, '--json'], { env: { DOCKER_CONFIG: dockerConfig } });
    expect(r.code).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error!.code).toBe('E_REGISTRY_AUTH_REQUIRED');
    expect(env.error!.message).toContain('docker-credential-desktop (credsStore)');
  });

  it('--password works and warns that it is visible to other users', async () => {
    const r = await regctl(['registry', 'tags', `${a.name}/seed`, '--ca', pki.caCert, '--username', 'alice', '--password', PASSWORD, '--json']);
    expect(r.code).toBe(0);
    expect(jsonResult(r.stdout).findings.map((f) => f.code)).toEqual(['W_PASSWORD_ARGUMENT']);
    outputs.splice(-2); // this run's argv held the password on purpose; its output is still checked below
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  });

  it('plain HTTP sent to the TLS port: exit 1, E_REGISTRY_EXPECTS_HTTPS', async () => {
    const r = await regctl(['registry', 'catalog', `http://${a.name}`, ...login()], { input: PASSWORD });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_REGISTRY_EXPECTS_HTTPS]');
  });

  it('a repository that does not exist: exit 1, E_REGISTRY_REPO_NOT_FOUND', async () => {
    const r = await regctl(['registry', 'tags', `${a.name}/no/such`, '--ca', pki.caCert, ...login()], { input: PASSWORD });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_REGISTRY_REPO_NOT_FOUND]');
  });
});

describe('B: plain HTTP, Bearer tokens from a real token service', () => {
  it('catalog: a token for registry:catalog:* fetched with Basic credentials, accepted by the registry', async () => {
    const before = tokens.requests.length;
    const r = await regctl(['registry', 'catalog', `http://${b.name}`, '--username', 'bob', '--password-stdin', '--json'], { input: BOB_PASSWORD });
    expect(r.code, r.stdout).toBe(0);
    expect(jsonResult(r.stdout).data).toMatchObject({ repositories: ['seed'], auth: 'bearer', pages: 1 });
    expect(tokens.requests.slice(before)).toEqual([{ service: 'regctl-test-registry', scope: 'registry:catalog:*', user: 'bob' }]);
  });

  it('tags: a token for repository:seed:pull, taken from access_token', async () => {
    tokens.useAccessTokenField = true;
    const before = tokens.requests.length;
    try {
      const r = await regctl(['registry', 'tags', `http://${b.name}/seed`, '--username', 'bob', '--password-stdin', '--json'], { input: BOB_PASSWORD });
      expect(r.code, r.stdout).toBe(0);
      expect(jsonResult(r.stdout).data.tags).toEqual(['1.0']);
      expect(tokens.requests.slice(before).map((q) => q.scope)).toEqual(['repository:seed:pull']);
    } finally {
      tokens.useAccessTokenField = false;
    }
  });

  it('a wrong password: the token service refuses it, exit 1', async () => {
    const r = await regctl(['registry', 'catalog', `http://${b.name}`, '--username', 'bob', '--password-stdin'], { input: WRONG });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_REGISTRY_AUTH_FAILED]');
    expect(r.stderr).toContain('the token service at http://127.0.0.1');
  });

  it('https expected, the registry speaks plain HTTP: exit 1, E_REGISTRY_PLAIN_HTTP', async () => {
    const r = await regctl(['registry', 'catalog', b.name, '--json']);
    expect(r.code).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error!.code).toBe('E_REGISTRY_PLAIN_HTTP');
    expect(env.error!.fix).toContain(`http://${b.name}`);
  });
});

describe('peers that are not a registry', () => {
  it('an HTTP server without Docker-Distribution-Api-Version: E_REGISTRY_NOT_A_REGISTRY', async () => {
    const r = await regctl(['registry', 'catalog', `http://127.0.0.1:${notRegistryPort}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[E_REGISTRY_NOT_A_REGISTRY]');
  });

  // a name that does not resolve would ask the DNS server: test/registry-client/connection-errors.test.ts
  it('a port nothing listens on: E_REGISTRY_UNREACHABLE', async () => {
    const port = await freePort();
    const refused = await regctl(['registry', 'catalog', `127.0.0.1:${port}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[E_REGISTRY_UNREACHABLE]');
  });

  it('a malformed argument is exit 2', async () => {
    const r = await regctl(['registry', 'tags', `${a.name}/Not_Valid!`, '--json']);
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error!.code).toBe('E_REGISTRY_ARGUMENT');
  });
});

describe('secrets', () => {
  it('no output of any run above holds a password, a token or a Basic header', () => {
    expect(outputs.length).toBeGreaterThan(20);
    expect(tokens.issued.length).toBeGreaterThanOrEqual(2);
    const all = outputs.join('\n');
    const secrets = [PASSWORD, WRONG, BOB_PASSWORD, ...tokens.issued, ...tokens.issued.map((t) => t.split('.')[2]!)];
    for (const [u, p] of [['alice', PASSWORD], ['alice', WRONG], ['bob', BOB_PASSWORD], ['bob', WRONG]]) secrets.push(Buffer.from(`${u}:${p}`).toString('base64'));
    for (const s of secrets) expect(all.includes(s), `output holds a secret (${s.slice(0, 6)}...)`).toBe(false);
    expect(all).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
  });
});
