/** Keys harbor.yml cannot hold: ONE warning listing each with where it lives now; unknown keys one each. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHarborCfg } from '../../../src/config/legacy/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = path.join(here, 'fixtures', 'edited-v1.7.cfg');
const text = readFileSync(FILE, 'utf8');
const { parsed, mapping } = readHarborCfg(FILE, text);
const lineOf = (re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;

describe('the single unmapped-keys warning', () => {
  const unmapped = parsed.problems.filter((p) => p.code === 'W_CFG_UNMAPPED');
  const message = unmapped[0]?.message ?? '';
  const listing = message.split('\n').slice(1);

  it('is exactly one warning, located at the first listed key, with a fix', () => {
    expect(unmapped).toHaveLength(1);
    expect(unmapped[0]).toMatchObject({ severity: 'warning', file: FILE, line: lineOf(/^secretkey_path/) });
    expect(unmapped[0]?.fix).toContain('PUT /api/v2.0/configurations');
  });

  it('lists every present key harbor.yml cannot hold, each with where it lives now', () => {
    const listed = listing.flatMap((l) => (l.trim().split(' (line')[0] as string).split(', '));
    expect(listed.sort()).toEqual(
      [
        'secretkey_path', 'admiral_url', 'customize_crt', 'auth_mode', 'ldap_url', 'ldap_searchdn', 'ldap_search_pwd', 'ldap_basedn', 'ldap_uid',
        'ldap_scope', 'ldap_timeout', 'ldap_verify_cert', 'self_registration', 'token_expiration', 'project_creation_restriction',
        'clair_db_host', 'clair_db_password', 'clair_db_port', 'clair_db_username', 'clair_db', 'clair_updaters_interval', 'email_server', 'email_password',
      ].sort(),
    );
    expect(message.split('\n')[0]).toBe('23 harbor.cfg keys have no place in harbor.yml; regctl does not apply them:');
    expect(message).toContain(`auth_mode (line ${lineOf(/^auth_mode/)}) → Harbor UI/API system setting auth_mode = "ldap_auth"`);
    expect(message).toContain(`ldap_searchdn (line ${lineOf(/^ldap_searchdn/)}) → Harbor UI/API system setting ldap_search_dn = "uid=harbor,ou=svc,dc=corp,dc=example,dc=com"`);
    expect(message).toContain(`self_registration (line ${lineOf(/^self_registration/)}) → Harbor UI/API system setting self_registration = false`);
    expect(message).toContain(`email_server, email_password (lines ${lineOf(/^email_server/)}, ${lineOf(/^email_password/)}) → removed in Harbor v2.7`);
    expect(message).toContain(`clair_db_host, clair_db_password, clair_db_port, clair_db_username, clair_db (lines ${[/^clair_db_host/, /^clair_db_password/, /^clair_db_port/, /^clair_db_username/, /^clair_db =/].map(lineOf).join(', ')}) → removed in Harbor v2.2 with Clair; use --with-trivy`);
    expect(message).toContain(`customize_crt (line ${lineOf(/^customize_crt/)}) → regctl keeps the token key pair under data_volume/secret`);
    expect(message).toContain(`ldap_search_pwd (line ${lineOf(/^ldap_search_pwd/)}) → Harbor UI/API system setting ldap_search_password (value not shown)`);
  });

  it('lists the keys in file order', () => {
    const lines = listing.map((l) => Number(/\(lines? (\d+)/.exec(l)?.[1]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('never shows a secret value in any problem', () => {
    const all = JSON.stringify(parsed.problems);
    for (const secret of ['LdapBindPw', 'DbPw-2019', 'RedisPw', 'MailPw', 'S3SecretKey', 'Adm1n#2019', 'root123']) expect(all).not.toContain(secret);
  });

  it('hands the settings over under today\'s names', () => {
    expect(mapping.systemSettings).toEqual({
      auth_mode: 'ldap_auth',
      ldap_url: 'ldaps://ldap.corp.example.com',
      ldap_search_dn: 'uid=harbor,ou=svc,dc=corp,dc=example,dc=com',
      ldap_search_password: 'LdapBindPw',
      ldap_base_dn: 'ou=people,dc=corp,dc=example,dc=com',
      ldap_uid: 'uid',
      ldap_scope: 2,
      ldap_timeout: 5,
      ldap_verify_cert: true,
      self_registration: false,
      token_expiration: 60,
      project_creation_restriction: 'adminonly',
    });
  });
});

describe('unknown keys', () => {
  it('get a warning each, with a did-you-mean against the known legacy keys', () => {
    const unknown = parsed.problems.filter((p) => p.code === 'W_CFG_UNKNOWN_KEY');
    expect(unknown).toEqual([expect.objectContaining({ severity: 'warning', line: lineOf(/^ldap_scpoe/), key: 'ldap_scpoe' })]);
    expect(unknown[0]?.message).toContain('did you mean ldap_scope?');
    expect(unknown[0]?.fix).toBe('Rename it to ldap_scope, or delete the line.');
  });

  it('point harbor.yml keys at harbor.yml, and say nothing clever about nonsense', () => {
    const r = readHarborCfg('/x/harbor.cfg', 'hostname = h.example.com\ndata_volume = /srv\nzzqx = 1\nhostnme = a\ndb_pasword = x\n').parsed;
    const byKey = Object.fromEntries(r.problems.filter((p) => p.code === 'W_CFG_UNKNOWN_KEY').map((p) => [p.key, p]));
    expect(Object.keys(byKey)).toEqual(['data_volume', 'zzqx', 'hostnme', 'db_pasword']);
    expect(byKey.data_volume?.fix).toContain('harbor.yml key');
    expect(byKey.zzqx?.message).not.toContain('did you mean');
    expect(byKey.hostnme?.message).toContain('did you mean hostname?');
    expect(byKey.db_pasword?.message).toContain('did you mean db_password?');
    expect(r.problems.filter((p) => p.code === 'W_CFG_UNMAPPED')).toEqual([]);
  });
});

describe('the hand-edited 1.7 file maps as a whole', () => {
  it('gives this harbor.yml (template defaults aside) with warnings only', () => {
    expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const data = parsed.doc!.data;
    expect(data).toMatchObject({
      hostname: 'registry.corp.example.com',
      http: { port: 80 },
      https: { port: 8443, certificate: '/etc/harbor/tls/registry.crt', private_key: '/etc/harbor/tls/registry.key' },
      harbor_admin_password: 'Adm1n#2019',
      database: { password: 'DbPw-2019' },
      storage_service: {
        ca_bundle: '/etc/harbor/tls/storage-ca.pem',
        s3: { accesskey: 'AKIAEXAMPLE', secretkey: 'S3SecretKey', region: 'eu-central-1', bucket: 'harbor-prod', secure: true },
      },
      jobservice: { max_job_workers: 24 },
      log: { local: { rotate_count: 14, rotate_size: '500M' } },
      external_database: { harbor: { host: 'pg.corp.example.com', port: 5432, db_name: 'registry', username: 'harbor', password: 'DbPw-2019', ssl_mode: 'disable' } },
      external_redis: { host: 'redis.corp.example.com:6379', password: 'RedisPw', registry_db_index: 4, jobservice_db_index: 5 },
      proxy: { http_proxy: 'http://proxy.corp.example.com:3128', https_proxy: 'http://proxy.corp.example.com:3128', no_proxy: '.corp.example.com' },
    });
    expect(data).not.toHaveProperty('redis');
    expect(Object.keys(data)).toEqual([
      'hostname', 'http', 'https', 'harbor_admin_password', 'database', 'data_volume', 'storage_service', 'trivy', 'jobservice', 'notification', 'log',
      '_version', 'external_database', 'external_redis', 'proxy', 'upload_purging', 'cache',
    ]);
  });

  it('warns about each surprise once, in line order', () => {
    expect(parsed.problems.map((p) => p.code)).toEqual([
      'W_CFG_HOSTNAME_PORT', // line 4
      'W_CFG_SECRETKEY_PATH', // 8
      'W_CFG_UNMAPPED', // 8
      'W_CFG_INLINE_COMMENT', // 12
      'W_CFG_PROXY_SCOPE', // 16
      'W_CFG_DUPLICATE', // max_job_workers again
      'W_CFG_UNKNOWN_KEY', // ldap_scpoe
    ]);
    expect(parsed.problems.every((p) => p.file === FILE && typeof p.line === 'number' && p.fix)).toBe(true);
  });

  it('points https.port at the HOSTNAME line that carried it', () => {
    expect(parsed.doc!.locate('https.port')).toMatchObject({ line: 4, key: 'hostname (→ https.port)' });
    expect(parsed.doc!.locate('jobservice.max_job_workers')).toMatchObject({ line: lineOf(/^max_job_workers = 24/) });
  });
});
