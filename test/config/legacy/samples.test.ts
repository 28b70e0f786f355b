/**
 * The shipped harbor.cfg of each 1.x format (byte-exact copies in fixtures/, goharbor/harbor make/harbor.cfg at v1.1.0–v1.7.6)
 * and the seed's file (examples/harbor.cfg): they parse with the key counts Python 2.7 gives,
 * and map onto harbor.yml without errors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHarborCfg, parseHarborCfg } from '../../../src/config/legacy/index.js';
import { parseCfgText } from '../../../src/config/legacy/parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', name);
const SEED = path.resolve(here, '../../../examples/harbor.cfg');

const SAMPLES = [
  { file: 'harbor-v1.1.2.cfg', bytes: 4085, lines: 102, keys: 27, version: '1.1', from: 'keys' },
  { file: 'harbor-v1.2.2.cfg', bytes: 4345, lines: 106, keys: 28, version: '1.2', from: 'keys' },
  { file: 'harbor-v1.3.0.cfg', bytes: 5008, lines: 125, keys: 37, version: '1.3', from: 'keys' },
  { file: 'harbor-v1.4.0.cfg', bytes: 5954, lines: 159, keys: 46, version: '1.4', from: 'keys' },
  { file: 'harbor-v1.5.0.cfg', bytes: 6687, lines: 181, keys: 54, version: '1.5', from: '_version' },
  { file: 'harbor-v1.6.0.cfg', bytes: 7913, lines: 203, keys: 59, version: '1.6', from: '_version' },
  { file: 'harbor-v1.7.5.cfg', bytes: 8033, lines: 204, keys: 59, version: '1.7', from: '_version' },
] as const;

describe('the shipped harbor.cfg of every 1.x format', () => {
  for (const s of SAMPLES) {
    describe(s.file, () => {
      const file = fixture(s.file);
      const text = readFileSync(file, 'utf8');

      it('is the byte-exact sample', () => {
        expect(Buffer.byteLength(text)).toBe(s.bytes);
        expect(text.split('\n').length - 1).toBe(s.lines);
      });

      it(`parses to ${s.keys} active keys with no problem at all`, () => {
        const r = parseCfgText(file, text);
        expect(r.entries.size).toBe(s.keys);
        expect(r.all).toHaveLength(s.keys);
        expect(r.problems).toEqual([]);
      });

      it(`is recognised as Harbor ${s.version} and maps without errors`, () => {
        const { parsed, mapping } = readHarborCfg(file, text);
        expect(mapping.version).toMatchObject({ version: s.version, from: s.from });
        expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(parsed.doc?.format).toBe('cfg');
        const data = parsed.doc!.data;
        expect(data).toMatchObject({
          hostname: 'reg.mydomain.com',
          http: { port: 80 },
          harbor_admin_password: 'Harbor12345',
          data_volume: '/data',
          _version: '2.15.0',
        });
        // every sample is http, with the bundled database, redis and filesystem storage
        for (const absent of ['https', 'external_database', 'external_redis', 'redis', 'storage_service', 'uaa']) expect(data).not.toHaveProperty(absent);
        expect((data.proxy as Record<string, unknown>).no_proxy).toBeNull();
        expect(parsed.problems.filter((p) => p.code === 'W_CFG_UNMAPPED')).toHaveLength(1);
        expect(parsed.problems.filter((p) => p.code === 'W_CFG_UNKNOWN_KEY')).toEqual([]);
      });
    });
  }

  it('carries each release\'s own max_job_workers and database password', () => {
    const workers = (name: string) => ((parseHarborCfg(fixture(name), readFileSync(fixture(name), 'utf8')).doc!.data.jobservice as Record<string, unknown>).max_job_workers);
    expect(workers('harbor-v1.1.2.cfg')).toBe(3);
    expect(workers('harbor-v1.5.0.cfg')).toBe(50);
    expect(workers('harbor-v1.7.5.cfg')).toBe(10);
  });

  it('renumbers the old ldap_scope 3 of 1.1–1.3 files and keeps the 2 of 1.4+ files', () => {
    const scope = (name: string) => readHarborCfg(fixture(name), readFileSync(fixture(name), 'utf8')).mapping.systemSettings.ldap_scope;
    expect(scope('harbor-v1.1.2.cfg')).toBe(2);
    expect(scope('harbor-v1.3.0.cfg')).toBe(2);
    expect(scope('harbor-v1.4.0.cfg')).toBe(2);
    expect(scope('harbor-v1.7.5.cfg')).toBe(2);
  });

  it('warns about the MySQL data of 1.1–1.5 files only', () => {
    const warned = SAMPLES.filter((s) => parseHarborCfg(fixture(s.file), readFileSync(fixture(s.file), 'utf8')).problems.some((p) => p.code === 'W_CFG_MYSQL_DATA')).map((s) => s.version);
    expect(warned).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5']);
  });
});

describe("the seed's harbor.cfg (examples/harbor.cfg)", () => {
  const text = readFileSync(SEED, 'utf8');

  it('parses and maps with no errors', () => {
    const { parsed } = readHarborCfg(SEED, text);
    expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(parsed.problems.map((p) => p.code).sort()).toEqual(['W_CFG_MYSQL_DATA', 'W_CFG_UNMAPPED']);
  });

  it('becomes this harbor.yml', () => {
    const { parsed, mapping } = readHarborCfg(SEED, text);
    expect(parsed.doc!.data).toEqual({
      hostname: '192.168.120.85',
      http: { port: 80 },
      https: { port: 443, certificate: 'certs/registry.crt', private_key: 'certs/registry.key' },
      harbor_admin_password: 'haichuang',
      database: { password: 'haichuang', max_idle_conns: 100, max_open_conns: 900, conn_max_lifetime: '5m', conn_max_idle_time: 0 },
      data_volume: '/data',
      trivy: {
        ignore_unfixed: false,
        skip_update: false,
        skip_java_db_update: false,
        db_repository: 'ghcr.io/aquasecurity/trivy-db',
        java_db_repository: 'ghcr.io/aquasecurity/trivy-java-db',
        offline_scan: false,
        security_check: 'vuln',
        insecure: false,
        timeout: '5m0s',
      },
      jobservice: { max_job_workers: 3, max_job_duration_hours: 24, job_loggers: ['STD_OUTPUT', 'FILE'], logger_sweeper_duration: 1 },
      notification: { webhook_job_max_retry: 3, webhook_job_http_client_timeout: 3 },
      log: { level: 'info', local: { rotate_count: 50, rotate_size: '200M', location: '/var/log/harbor' } },
      _version: '2.15.0',
      proxy: { http_proxy: null, https_proxy: null, no_proxy: null, components: ['core', 'jobservice', 'trivy'] },
      upload_purging: { enabled: true, age: '168h', interval: '24h', dryrun: false },
      cache: { enabled: false, expire_hours: 24 },
    });
    expect(mapping.version).toMatchObject({ version: '1.1', from: 'keys' });
    expect(mapping.systemSettings).toEqual({
      auth_mode: 'db_auth',
      ldap_url: 'ldaps://ldap.mydomain.com',
      ldap_base_dn: 'ou=people,dc=mydomain,dc=com',
      ldap_uid: 'uid',
      ldap_scope: 2,
      ldap_timeout: 5,
      self_registration: true,
      token_expiration: 30,
      project_creation_restriction: 'adminonly',
    });
  });

  it('keeps the relative certificate paths as written (the caller resolves them)', () => {
    const https = parseHarborCfg(SEED, text).doc!.data.https as Record<string, unknown>;
    expect(https.certificate).toBe('certs/registry.crt');
  });
});
