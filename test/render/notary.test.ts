/**
 * --with-notary on the 2.8 line: the notary component's files, modes and owners, its compose
 * services and what it adds to postgresql, core and proxy (Harbor v2.8.6 utils/notary.py and
 * docker-compose.yml.jinja), and the signer material the secret store makes once and keeps.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { harborV2_8_6 } from '../../src/releases/v2.8.6.js';
import { harborV2_15_2 } from '../../src/releases/v2.15.2.js';
import type { HarborRelease } from '../../src/releases/types.js';
import { renderInstallTree } from '../../src/render/render.js';
import { renderCompose } from '../../src/render/components/compose.js';
import { notaryDbUrl } from '../../src/render/components/notary.js';
import type { RenderContext, RenderedEntry, RenderedFile } from '../../src/render/types.js';
import { loadOrCreateSecrets, SECRET_PATHS } from '../../src/secrets/store.js';
import { createNotarySignerPair, signerCertHasSan, type NotarySignerPair } from '../../src/secrets/notary-signer.js';
import type { Secrets } from '../../src/secrets/types.js';
import type { HarborConfig } from '../../src/config/model.js';
import { baseModel, ctxOf, envMap, fixedSecrets, internalTlsModel } from './fixtures/model-r2.js';
import { tempDirSync } from '../helpers/tmp.js';

let pair: NotarySignerPair;
beforeAll(async () => {
  pair = await createNotarySignerPair();
}, 60_000);

const secrets = (): Secrets => ({
  ...fixedSecrets(),
  notary: { defaultAlias: 'Al1asAb8', signerCaCertPem: pair.caCertPem, signerCertPem: pair.certPem, signerKeyPem: pair.keyPem },
});
const ctx = (config: HarborConfig = baseModel(), release: HarborRelease = harborV2_8_6, withNotary = true): RenderContext => ({
  ...ctxOf(config, { withNotary, withTrivy: false }, secrets()),
  release,
});
const file = (entries: RenderedEntry[], p: string): RenderedFile => {
  const f = entries.find((e) => e.kind === 'file' && e.path === p);
  if (!f) throw new Error(`no ${p}`);
  return f as RenderedFile;
};
const compose = (c: RenderContext) => parseYaml(renderCompose(c));

describe('notary files', () => {
  it('writes the four notary configs, the two nginx hooks and the signer material with Harbor modes and owners', () => {
    const e = renderInstallTree(ctx());
    const want: [string, number, number][] = [
      ['common/config/notary/server-config.postgres.json', 0o640, 10000],
      ['common/config/notary/signer-config.postgres.json', 0o640, 10000],
      ['common/config/notary/server_env', 0o640, 0],
      ['common/config/notary/signer_env', 0o640, 0],
      ['common/config/nginx/conf.d/notary.upstream.conf', 0o640, 10000],
      ['common/config/nginx/conf.d/notary.server.conf', 0o640, 10000],
      ['secret/keys/defaultalias', 0o600, 10000],
      ['secret/notary/notary-signer-ca.crt', 0o600, 10000],
      ['secret/notary/notary-signer.crt', 0o600, 10000],
      ['secret/notary/notary-signer.key', 0o600, 10000],
    ];
    for (const [p, mode, uid] of want) {
      const f = file(e, p);
      expect([p, f.mode, f.owner.uid, f.owner.gid]).toEqual([p, mode, uid, uid]);
    }
    const dir = e.find((x) => x.kind === 'dir' && x.path === 'common/config/notary');
    expect(dir).toMatchObject({ mode: 0o755, owner: { uid: 0, gid: 0 } });
    expect(e.find((x) => x.kind === 'dir' && x.path === 'secret/notary')).toMatchObject({ mode: 0o755, owner: { uid: 0 }, contents: 'keep' });
    expect(file(e, 'secret/keys/defaultalias').content).toBe('Al1asAb8');
    expect(file(e, 'secret/keys/defaultalias').secret).toBe(true);
    expect(file(e, 'secret/notary/notary-signer.key').secret).toBe(true);
  });

  it('server and signer configs: fixed bundled-DB URLs, the signer by its SAN name, the token realm on the public URL', () => {
    const m = baseModel();
    m.publicUrl = 'https://harbor.example.org:8433';
    const e = renderInstallTree(ctx(m));
    const server = JSON.parse(String(file(e, 'common/config/notary/server-config.postgres.json').content));
    expect(server).toEqual({
      server: { http_addr: ':4443' },
      trust_service: { type: 'remote', hostname: 'notarysigner', port: '7899', tls_ca_file: './notary-signer-ca.crt', key_algorithm: 'ecdsa' },
      logging: { level: 'debug' },
      storage: { backend: 'postgres', db_url: 'postgres://server:password@postgresql:5432/notaryserver?sslmode=disable' },
      auth: { type: 'token', options: { realm: 'https://harbor.example.org:8433/service/token', service: 'harbor-notary', issuer: 'harbor-token-issuer', rootcertbundle: '/etc/notary/root.crt' } },
    });
    const signer = JSON.parse(String(file(e, 'common/config/notary/signer-config.postgres.json').content));
    expect(signer).toEqual({
      server: { grpc_addr: ':7899', tls_cert_file: './notary-signer.crt', tls_key_file: './notary-signer.key' },
      logging: { level: 'debug' },
      storage: { backend: 'postgres', db_url: 'postgres://signer:password@postgresql:5432/notarysigner?sslmode=disable', default_alias: 'defaultalias' },
    });
    expect([...envMap(file(e, 'common/config/notary/server_env').content)]).toEqual([
      ['MIGRATIONS_PATH', 'migrations/server/postgresql'],
      ['DB_URL', 'postgres://server:password@postgresql:5432/notaryserver?sslmode=disable'],
    ]);
    expect([...envMap(file(e, 'common/config/notary/signer_env').content)]).toEqual([
      ['NOTARY_SIGNER_DEFAULTALIAS', 'Al1asAb8'],
      ['MIGRATIONS_PATH', 'migrations/signer/postgresql'],
      ['DB_URL', 'postgres://signer:password@postgresql:5432/notarysigner?sslmode=disable'],
    ]);
  });

  it('nginx hooks: upstream notary-server:4443 and a TLS server on 4443 with the Harbor server certificate, /v2/ proxied', () => {
    const e = renderInstallTree(ctx());
    expect(String(file(e, 'common/config/nginx/conf.d/notary.upstream.conf').content)).toMatch(/upstream notary-server \{\s+server notary-server:4443;\s+\}/);
    const conf = String(file(e, 'common/config/nginx/conf.d/notary.server.conf').content);
    for (const line of ['listen 4443 ssl;', 'ssl_certificate /etc/cert/server.crt;', 'ssl_certificate_key /etc/cert/server.key;', 'ssl_protocols tlsv1.2;', 'proxy_pass http://notary-server/v2/;', 'client_max_body_size 0;'])
      expect(conf).toContain(line);
    // the main nginx.conf includes the hooks
    expect(String(file(e, 'common/config/nginx/nginx.conf').content)).toMatch(/include \/etc\/nginx\/conf\.d\/\*\.upstream\.conf;/);
  });

  it('external database: the notary blocks, user, password and database name percent-encoded (Harbor pastes them raw)', () => {
    const m = baseModel();
    m.database = { ...m.database, external: true, host: 'db.example.com' };
    m.notaryDatabases = {
      signer: { host: 'db.example.com', port: 5433, dbName: 'nsigner', username: 'signer1', password: 'sig#pw', sslMode: 'verify-full' },
      server: { host: 'db2.example.com', port: 5434, dbName: 'nserver', username: 'server1', password: 'srv%pw@/x', sslMode: 'disable' },
    };
    const e = renderInstallTree(ctx(m));
    const signerUrl = envMap(file(e, 'common/config/notary/signer_env').content).get('DB_URL')!;
    expect(signerUrl).toBe('postgres://signer1:sig%23pw@db.example.com:5433/nsigner?sslmode=verify-full');
    const u = new URL(envMap(file(e, 'common/config/notary/server_env').content).get('DB_URL')!);
    expect([decodeURIComponent(u.username), decodeURIComponent(u.password), u.hostname, u.port, u.pathname]).toEqual(['server1', 'srv%pw@/x', 'db2.example.com', '5434', '/nserver']);
    expect(file(e, 'common/config/notary/server_env').secret).toBe(true);
    expect(notaryDbUrl({ host: 'h', port: 1, dbName: 'd', username: 'u', password: 'p', sslMode: 'disable' })).toBe('postgres://u:p@h:1/d?sslmode=disable');
    const doc = compose(ctx(m));
    expect(doc.services['notary-server'].depends_on).toEqual(['notary-signer']);
    expect(doc.services['notary-signer'].depends_on).toEqual(['log']);
    expect(doc.services.postgresql).toBeUndefined();
  });

  it('only with --with-notary: otherwise no notary entry, and the nginx hooks are retired (removed if an earlier run wrote them)', () => {
    for (const c of [ctx(baseModel(), harborV2_8_6, false), ctx(baseModel(), harborV2_15_2, false)]) {
      const e = renderInstallTree(c);
      expect(e.filter((x) => x.kind !== 'retired' && /notary/.test(x.path))).toEqual([]);
      expect(e.filter((x) => x.kind === 'retired').map((x) => x.path)).toEqual(['common/config/nginx/conf.d/notary.upstream.conf', 'common/config/nginx/conf.d/notary.server.conf']);
    }
  });
});

describe('notary compose services', () => {
  it('notary-server and notary-signer after proxy, with Harbor networks, binds, env files, depends_on, syslog and no cap_drop', () => {
    const doc = compose(ctx());
    const names = Object.keys(doc.services);
    expect(names.slice(names.indexOf('proxy'), names.indexOf('proxy') + 3)).toEqual(['proxy', 'notary-server', 'notary-signer']);
    const server = doc.services['notary-server'];
    expect(server).toMatchObject({ image: 'goharbor/notary-server-photon:v2.8.6', container_name: 'notary-server', restart: 'always', networks: ['notary-sig', 'harbor-notary'], env_file: ['./common/config/notary/server_env'], depends_on: ['postgresql', 'notary-signer'] });
    expect(server.logging.options).toEqual({ 'syslog-address': 'tcp://localhost:1514', tag: 'notary-server' });
    expect(server.cap_drop).toBeUndefined();
    expect(server.volumes).toEqual([
      './common/config/notary:/etc/notary:z',
      { type: 'bind', source: '/data/secret/notary/notary-signer-ca.crt', target: '/etc/notary/notary-signer-ca.crt' },
      { type: 'bind', source: '/data/secret/registry/root.crt', target: '/etc/notary/root.crt' },
      { type: 'bind', source: './common/config/shared/trust-certificates', target: '/harbor_cust_cert' },
    ]);
    const signer = doc.services['notary-signer'];
    expect(signer).toMatchObject({ image: 'goharbor/notary-signer-photon:v2.8.6', container_name: 'notary-signer', networks: { 'harbor-notary': null, 'notary-sig': { aliases: ['notarysigner'] } }, env_file: ['./common/config/notary/signer_env'], depends_on: ['log', 'postgresql'] });
    expect(signer.cap_drop).toBeUndefined();
    expect(signer.volumes.slice(1, 3)).toEqual([
      { type: 'bind', source: '/data/secret/notary/notary-signer.crt', target: '/etc/notary/notary-signer.crt' },
      { type: 'bind', source: '/data/secret/notary/notary-signer.key', target: '/etc/notary/notary-signer.key' },
    ]);
  });

  it('adds harbor-notary (alias harbor-db) to postgresql, harbor-notary to core, the network and 4443 (after the metric port) to proxy, and both networks', () => {
    const m = baseModel();
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    const doc = compose(ctx(m));
    expect(doc.services.postgresql.networks).toEqual({ harbor: null, 'harbor-notary': { aliases: ['harbor-db'] } });
    expect(doc.services.core.networks).toEqual({ harbor: null, 'harbor-notary': null });
    expect(doc.services.proxy.networks).toEqual(['harbor', 'harbor-notary']);
    expect(doc.services.proxy.ports).toEqual(['80:8080', '443:8443', '9090:9090', '4443:4443']);
    expect(doc.networks).toEqual({ harbor: { external: false }, 'harbor-notary': { external: false }, 'notary-sig': { external: false } });
    // the other services are untouched
    expect(doc.services.jobservice.networks).toEqual(['harbor']);
  });

  it('internal TLS: the notary_server/notary_signer pairs are mounted at /etc/harbor/ssl and copied into secret/tls', () => {
    const c = ctx(internalTlsModel('/etc/harbor/tls/internal'));
    const doc = compose(c);
    expect(doc.services['notary-server'].volumes).toContainEqual({ type: 'bind', source: '/data/secret/tls/notary_server.crt', target: '/etc/harbor/ssl/notary_server.crt' });
    expect(doc.services['notary-signer'].volumes).toContainEqual({ type: 'bind', source: '/data/secret/tls/notary_signer.key', target: '/etc/harbor/ssl/notary_signer.key' });
    const copies = renderInstallTree(c).filter((e) => e.kind === 'copy').map((e) => e.path);
    for (const f of ['notary_server.crt', 'notary_server.key', 'notary_signer.crt', 'notary_signer.key']) expect(copies).toContain(`secret/tls/${f}`);
    // NOTARY_URL stays plain http and the notary JSON does not change
    expect(envMap(file(renderInstallTree(c), 'common/config/core/env').content).get('NOTARY_URL')).toBe('http://notary-server:4443');
  });
});

describe('notary signer material (secret store)', () => {
  const tmp = () => tempDirSync('regctl-notary');

  it('the chain verifies with openssl; the leaf is RSA-4096 with SAN DNS:notarysigner only, 3650 days, PKCS#8 key', () => {
    const d = tmp();
    writeFileSync(path.join(d, 'ca.crt'), pair.caCertPem);
    writeFileSync(path.join(d, 'leaf.crt'), pair.certPem);
    expect(execFileSync('openssl', ['verify', '-CAfile', path.join(d, 'ca.crt'), path.join(d, 'leaf.crt')], { encoding: 'utf8' })).toMatch(/: OK/);
    const text = execFileSync('openssl', ['x509', '-in', path.join(d, 'leaf.crt'), '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/Subject Alternative Name:\s*\n\s*DNS:notarysigner\s*\n/);
    expect(text).toMatch(/Public-Key: \(4096 bit\)/);
    const leaf = new X509Certificate(pair.certPem);
    expect(Math.round((Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000)).toBe(3650);
    expect(new X509Certificate(pair.caCertPem).ca).toBe(true);
    expect(pair.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(leaf.checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
  });

  it('made only with --with-notary, then kept across runs (alias and all three files)', async () => {
    const d = tmp();
    const plain = await loadOrCreateSecrets(d, d);
    expect(plain.secrets.notary).toBeUndefined();
    const at = (p: string) => path.join(d, p);
    const seed = (n: NonNullable<Secrets['notary']>) => {
      mkdirSync(path.dirname(at(SECRET_PATHS.notarySignerCa)), { recursive: true });
      mkdirSync(path.dirname(at(SECRET_PATHS.notaryAlias)), { recursive: true });
      writeFileSync(at(SECRET_PATHS.notaryAlias), n.defaultAlias);
      writeFileSync(at(SECRET_PATHS.notarySignerCa), n.signerCaCertPem);
      writeFileSync(at(SECRET_PATHS.notarySignerCert), n.signerCertPem);
      writeFileSync(at(SECRET_PATHS.notarySignerKey), n.signerKeyPem);
    };
    seed(secrets().notary!);
    const second = await loadOrCreateSecrets(d, d, new Date(), () => undefined, { withNotary: true });
    expect(second.secrets.notary).toEqual(secrets().notary);
    expect(second.created.filter((c) => /notary/.test(c))).toEqual([]);
  });

  it('a first --with-notary run makes an 8-character alias and a new pair; a signer certificate without SAN is replaced (as Harbor does)', async () => {
    const d = tmp();
    const first = await loadOrCreateSecrets(d, d, new Date(), () => undefined, { withNotary: true });
    const n = first.secrets.notary!;
    expect(n.defaultAlias).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(signerCertHasSan(n.signerCertPem)).toBe(true);
    expect(first.created).toEqual(expect.arrayContaining(['notary signer alias', 'notary signer certificate']));
    // a pre-1.9 certificate: CN only
    const noSan = execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=notarysigner', '-days', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(signerCertHasSan(noSan)).toBe(false);
    mkdirSync(path.join(d, 'secret/notary'), { recursive: true });
    mkdirSync(path.join(d, 'secret/keys'), { recursive: true });
    writeFileSync(path.join(d, SECRET_PATHS.notaryAlias), n.defaultAlias);
    writeFileSync(path.join(d, SECRET_PATHS.notarySignerCa), n.signerCaCertPem);
    writeFileSync(path.join(d, SECRET_PATHS.notarySignerCert), noSan);
    writeFileSync(path.join(d, SECRET_PATHS.notarySignerKey), n.signerKeyPem);
    const again = await loadOrCreateSecrets(d, d, new Date(), () => undefined, { withNotary: true });
    expect(again.secrets.notary!.defaultAlias).toBe(n.defaultAlias);
    expect(again.secrets.notary!.signerCertPem).not.toBe(noSan);
    expect(signerCertHasSan(again.secrets.notary!.signerCertPem)).toBe(true);
    expect(readFileSync(path.join(d, SECRET_PATHS.notarySignerCert), 'utf8')).toBe(noSan); // nothing written by the store
  }, 60_000);
});
