/**
 * The 2.8 line (v2.8.6) renders what its official prepare writes where that differs from the newer
 * lines (make/photon/prepare/ at v2.8.6), and the newer lines keep rendering as before: each
 * ReleaseOutput field is checked on both sides.
 */
import { describe, it, expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { releases, findRelease } from '../../src/releases/index.js';
import { harborV2_8_6 } from '../../src/releases/v2.8.6.js';
import { harborV2_13_5 } from '../../src/releases/v2.13.5.js';
import { harborV2_14_4 } from '../../src/releases/v2.14.4.js';
import { harborV2_15_2 } from '../../src/releases/v2.15.2.js';
import type { HarborRelease } from '../../src/releases/types.js';
import { renderInstallTree } from '../../src/render/render.js';
import { renderCompose } from '../../src/render/components/compose.js';
import { coreEnv } from '../../src/render/components/core.js';
import { jobserviceConfig, jobserviceEnv } from '../../src/render/components/jobservice.js';
import { renderNginxConfig } from '../../src/render/components/nginx.js';
import { renderPortalConfig } from '../../src/render/components/portal.js';
import { registryConfig } from '../../src/render/components/registry.js';
import { trivyAdapterEnv } from '../../src/render/components/trivy.js';
import type { RenderContext } from '../../src/render/types.js';
import { baseModel, ctxOf, envMap, internalTlsModel } from '../render/fixtures/model-r2.js';
import type { HarborConfig } from '../../src/config/model.js';

const newer = [harborV2_15_2, harborV2_14_4, harborV2_13_5];
const on = (release: HarborRelease, config: HarborConfig = baseModel(), options: Partial<RenderContext['options']> = {}): RenderContext => ({ ...ctxOf(config, options), release });
const str = (c: string | Buffer) => c.toString();

describe('release list', () => {
  it('2.8.6 is the last (oldest) line; 2.8, 2.8.x and v2.8.6 find it', () => {
    expect(releases.map((r) => r.version)).toEqual(['v2.15.2', 'v2.14.4', 'v2.13.5', 'v2.12.4', 'v2.10.3', 'v2.8.6']);
    for (const v of ['2.8', '2.8.x', 'v2.8.6', '2.8.6']) expect(findRelease(v)).toBe(harborV2_8_6);
  });
  it('2.8.6 has Notary, redis-photon and PostgreSQL 13 without an upgrade path; the others have no Notary', () => {
    expect(harborV2_8_6.capabilities.notary).toBe(true);
    expect(harborV2_8_6.images).toMatchObject({ redis: 'redis-photon', notaryServer: 'notary-server-photon', notarySigner: 'notary-signer-photon' });
    expect(harborV2_8_6.database).toEqual({ postgresMajor: 13, upgradesFrom: [] });
    expect(harborV2_8_6.schemaVersion).toBe('2.8.0');
    for (const r of newer) expect(r.capabilities.notary).toBe(false);
  });
});

describe('v2.8.6 output against the newer lines', () => {
  it("docker-compose.yml starts with version: '2.3' only on 2.8; images are tagged v2.8.6 and redis is redis-photon", () => {
    const text = renderCompose(on(harborV2_8_6));
    expect(text.split('\n')[0]).toMatch(/^version: ["']2\.3["']$/);
    const doc = parseYaml(text);
    expect(doc.services.redis.image).toBe('goharbor/redis-photon:v2.8.6');
    expect(doc.services.core.image).toBe('goharbor/harbor-core:v2.8.6');
    for (const r of newer) expect(parseYaml(renderCompose(on(r))).version).toBeUndefined();
  });

  it('core/env: WITH_NOTARY (Python bool) and NOTARY_URL with or without notary, SYNC_QUOTA, quay, no whitelist, no QUOTA_UPDATE_PROVIDER', () => {
    const off = envMap(coreEnv(on(harborV2_8_6)));
    expect(off.get('WITH_NOTARY')).toBe('False');
    expect(off.get('NOTARY_URL')).toBe('http://notary-server:4443');
    expect(off.get('SYNC_QUOTA')).toBe('true');
    expect(off.get('PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE')).toBe('docker-hub,harbor,azure-acr,aws-ecr,google-gcr,quay,docker-registry,github-ghcr,jfrog-artifactory');
    expect(off.has('REPLICATION_ADAPTER_WHITELIST')).toBe(false);
    expect(off.has('QUOTA_UPDATE_PROVIDER')).toBe(false);
    expect(envMap(coreEnv(on(harborV2_8_6, baseModel(), { withNotary: true }))).get('WITH_NOTARY')).toBe('True');
    // internal TLS does not change NOTARY_URL (the https variant is commented out at v2.8.6)
    expect(envMap(coreEnv(on(harborV2_8_6, internalTlsModel()))).get('NOTARY_URL')).toBe('http://notary-server:4443');
    const lines = coreEnv(on(harborV2_8_6)).split('\n').map((l) => l.split('=')[0]);
    expect(lines.indexOf('WITH_NOTARY')).toBe(lines.indexOf('WITH_TRIVY') - 1);
    expect(lines.indexOf('NOTARY_URL')).toBe(lines.indexOf('TRIVY_ADAPTER_URL') + 1);
    for (const r of newer) {
      const m = envMap(coreEnv(on(r)));
      expect(m.has('WITH_NOTARY')).toBe(false);
      expect(m.has('NOTARY_URL')).toBe(false);
    }
  });

  it('NO_PROXY names notary-server and notary-signer on 2.8 (with or without --with-notary), sorted with the rest; not on the newer lines', () => {
    const no = (r: HarborRelease, opts = {}) => envMap(coreEnv(on(r, baseModel(), opts))).get('NO_PROXY')!.split(',');
    for (const opts of [{}, { withNotary: true }]) {
      const list = no(harborV2_8_6, opts);
      expect(list).toContain('notary-server');
      expect(list).toContain('notary-signer');
      expect(list).toEqual([...list].sort());
    }
    const js = envMap(jobserviceEnv(on(harborV2_8_6))).get('NO_PROXY')!;
    const tv = envMap(trivyAdapterEnv(on(harborV2_8_6, baseModel(), { withTrivy: true }))).get('NO_PROXY')!;
    expect(js).toMatch(/notary-signer/);
    expect(tv).toMatch(/notary-signer/);
    for (const r of newer) expect(no(r)).not.toContain('notary-server');
  });

  it('jobservice: fixed STD_OUTPUT + FILE loggers whatever job_loggers says, max_update_hours 24, no LOG_LEVEL in env', () => {
    const m = baseModel();
    m.jobservice = { ...m.jobservice, jobLoggers: ['DB'], maxJobDurationHours: 48 };
    const conf = jobserviceConfig(on(harborV2_8_6, m)) as { job_loggers: { name: string }[]; reaper: { max_update_hours: number } };
    expect(conf.job_loggers.map((l) => l.name)).toEqual(['STD_OUTPUT', 'FILE']);
    expect(conf.reaper.max_update_hours).toBe(24);
    expect(envMap(jobserviceEnv(on(harborV2_8_6))).has('LOG_LEVEL')).toBe(false);
    expect(envMap(jobserviceEnv(on(harborV2_8_6))).has('MAX_JOB_DURATION_SECONDS')).toBe(false);
    for (const r of newer) {
      const c = jobserviceConfig(on(r, m)) as typeof conf;
      expect(c.job_loggers.map((l) => l.name)).toEqual(['DB']);
      expect(c.reaper.max_update_hours).toBe(48);
      expect(envMap(jobserviceEnv(on(r))).get('LOG_LEVEL')).toBe('info');
    }
  });

  it('nginx https: listen 8443 ssl only, TLSv1.2 only and the fixed ciphers even with ipv6 and strong ciphers in the model', () => {
    const m = baseModel();
    m.ipFamily = { ipv4: true, ipv6: true };
    m.strongSslCiphers = true;
    const conf = renderNginxConfig(on(harborV2_8_6, m));
    expect(conf).toMatch(/^\s*listen 8443 ssl;$/m);
    expect(conf).not.toMatch(/listen \[::\]:8443/);
    expect(conf).toMatch(/^\s*ssl_protocols TLSv1\.2;$/m);
    expect(conf).toContain("ssl_ciphers '!aNULL:kECDH+AESGCM:ECDH+AESGCM:RSA+AESGCM:kECDH+AES:ECDH+AES:RSA+AES:';");
    const later = renderNginxConfig(on(harborV2_15_2, m));
    expect(later).toMatch(/listen \[::\]:8443 ssl;/);
    expect(later).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    expect(later).toMatch(/ECDHE\+AESGCM:DHE\+AESGCM/);
  });

  it('nginx http: /c/ has no 900 s timeouts on 2.8; /v2/ keeps them; the newer lines have them in /c/', () => {
    const m = baseModel();
    m.protocol = 'http';
    m.https = undefined;
    const block = (conf: string, loc: string) => conf.slice(conf.indexOf(`location ${loc} {`), conf.indexOf('}', conf.indexOf(`location ${loc} {`)));
    const old = renderNginxConfig(on(harborV2_8_6, m));
    expect(block(old, '/c/')).not.toMatch(/proxy_read_timeout/);
    expect(block(old, '/v2/')).toMatch(/proxy_read_timeout 900/);
    for (const r of newer) expect(block(renderNginxConfig(on(r, m)), '/c/')).toMatch(/proxy_send_timeout 900;\s+proxy_read_timeout 900;/);
  });

  it('portal with internal TLS: listen 8443 ssl, TLSv1.2 only, fixed ciphers on 2.8', () => {
    const m = internalTlsModel();
    m.ipFamily = { ipv4: true, ipv6: true };
    m.strongSslCiphers = true;
    const conf = renderPortalConfig(on(harborV2_8_6, m));
    expect(conf).toMatch(/listen 8443 ssl;/);
    expect(conf).not.toMatch(/\[::\]/);
    expect(conf).toMatch(/ssl_protocols TLSv1\.2;/);
    expect(conf).toContain('!aNULL:kECDH+AESGCM');
    expect(renderPortalConfig(on(harborV2_15_2, m))).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
  });

  it('registry redis block: no username and no enableTLS on 2.8; enableTLS on 2.13/2.14; both on 2.15', () => {
    const redis = (r: HarborRelease) => (registryConfig(on(r)) as { redis: Record<string, unknown> }).redis;
    expect(redis(harborV2_8_6)).not.toHaveProperty('username');
    expect(redis(harborV2_8_6)).not.toHaveProperty('enableTLS');
    expect(redis(harborV2_14_4)).toHaveProperty('enableTLS', false);
    expect(redis(harborV2_14_4)).not.toHaveProperty('username');
    expect(redis(harborV2_15_2)).toHaveProperty('username');
  });

  it('trivy-adapter/env: no SKIP_JAVA_DB_UPDATE, DB_REPOSITORY, JAVA_DB_REPOSITORY on 2.8', () => {
    const env = (r: HarborRelease) => envMap(trivyAdapterEnv(on(r, baseModel(), { withTrivy: true })));
    for (const k of ['SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE', 'SCANNER_TRIVY_DB_REPOSITORY', 'SCANNER_TRIVY_JAVA_DB_REPOSITORY']) expect(env(harborV2_8_6).has(k)).toBe(false);
    expect(env(harborV2_8_6).get('SCANNER_TRIVY_TIMEOUT')).toBe('5m0s');
    expect(env(harborV2_14_4).has('SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE')).toBe(true);
    expect(env(harborV2_15_2).has('SCANNER_TRIVY_DB_REPOSITORY')).toBe(true);
  });

  it('trust dir: no redis_tls_ca.crt on 2.8 (prepare_trust_ca copies the internal CA and the storage bundle only)', () => {
    const m = baseModel();
    m.redis = { ...m.redis, tlsRootCA: '/etc/harbor/redis-ca.crt' };
    const paths = (r: HarborRelease) => renderInstallTree(on(r, m)).map((e) => e.path);
    expect(paths(harborV2_8_6)).not.toContain('common/config/shared/trust-certificates/redis_tls_ca.crt');
    expect(paths(harborV2_15_2)).toContain('common/config/shared/trust-certificates/redis_tls_ca.crt');
  });

  it('without --with-notary a 2.8 tree has no notary files or services', () => {
    const entries = renderInstallTree(on(harborV2_8_6));
    expect(entries.filter((e) => e.kind !== 'retired' && /notary/.test(e.path))).toEqual([]);
    const doc = parseYaml(renderCompose(on(harborV2_8_6)));
    expect(Object.keys(doc.services)).not.toContain('notary-server');
    expect(Object.keys(doc.networks)).toEqual(['harbor']);
    expect(str(renderCompose(on(harborV2_8_6)))).not.toMatch(/4443/);
  });
});
