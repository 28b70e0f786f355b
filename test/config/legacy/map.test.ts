/** The mapping of each harbor.cfg key onto harbor.yml (goharbor/harbor make/harbor.cfg and make/prepare at v1.1.0–v1.7.6). */
import { describe, expect, it } from 'vitest';
import { readHarborCfg, type HarborCfgOptions } from '../../../src/config/legacy/index.js';
import type { Problem } from '../../../src/errors.js';

const FILE = '/srv/harbor/harbor.cfg';

/** A complete-enough 1.7 file (the keys legacy prepare required and that harbor.yml can hold) plus `extra`. */
function cfg(extra: string, opts: { version?: string | null; protocol?: string } = {}): string {
  const version = opts.version === undefined ? '1.7.0' : opts.version;
  return [
    version === null ? '' : `_version = ${version}`,
    'hostname = reg.example.com',
    `ui_url_protocol = ${opts.protocol ?? 'http'}`,
    'db_password = dbpw',
    'max_job_workers = 10',
    'harbor_admin_password = adminpw',
    extra,
    '',
  ].join('\n');
}

function load(text: string, options?: HarborCfgOptions) {
  const { parsed, mapping } = readHarborCfg(FILE, text, options);
  const data = parsed.doc?.data ?? {};
  const problems = parsed.problems;
  const only = (code: string): Problem[] => problems.filter((p) => p.code === code);
  const errors = problems.filter((p) => p.severity === 'error');
  return { data, problems, only, errors, mapping, doc: parsed.doc };
}
const sub = (data: Record<string, unknown>, key: string) => data[key] as Record<string, any>;

describe('template defaults under the mapped values', () => {
  it('fills every active key of harbor.yml.tmpl v2.15', () => {
    const { data, problems } = load(cfg(''));
    expect(problems).toEqual([]);
    expect(Object.keys(data)).toEqual([
      'hostname', 'http', 'harbor_admin_password', 'database', 'data_volume', 'trivy', 'jobservice', 'notification', 'log', '_version', 'proxy', 'upload_purging', 'cache',
    ]);
    expect(data).toMatchObject({
      http: { port: 80 },
      database: { password: 'dbpw', max_idle_conns: 100, max_open_conns: 900, conn_max_lifetime: '5m', conn_max_idle_time: 0 },
      data_volume: '/data',
      jobservice: { max_job_workers: 10, max_job_duration_hours: 24, job_loggers: ['STD_OUTPUT', 'FILE'], logger_sweeper_duration: 1 },
      notification: { webhook_job_max_retry: 3, webhook_job_http_client_timeout: 3 },
      log: { level: 'info', local: { rotate_count: 50, rotate_size: '200M', location: '/var/log/harbor' } },
      _version: '2.15.0',
      proxy: { http_proxy: null, https_proxy: null, no_proxy: null, components: ['core', 'jobservice', 'trivy'] },
      upload_purging: { enabled: true, age: '168h', interval: '24h', dryrun: false },
      cache: { enabled: false, expire_hours: 24 },
    });
    expect(sub(data, 'trivy')).toEqual({
      ignore_unfixed: false, skip_update: false, skip_java_db_update: false, db_repository: 'ghcr.io/aquasecurity/trivy-db',
      java_db_repository: 'ghcr.io/aquasecurity/trivy-java-db', offline_scan: false, security_check: 'vuln', insecure: false, timeout: '5m0s',
    });
  });

  it('writes the target _version, never the legacy one', () => {
    expect(load(cfg('', { version: '1.5.0' })).data._version).toBe('2.15.0');
  });

  it('warns about each missing key legacy prepare required, and uses the default', () => {
    const { data, only, errors } = load('hostname = h.example.com\n');
    expect(errors).toEqual([]);
    expect(only('W_CFG_MISSING_KEY').map((p) => p.key)).toEqual(['ui_url_protocol', 'db_password', 'max_job_workers', 'harbor_admin_password']);
    expect(data).toMatchObject({ harbor_admin_password: 'Harbor12345', database: { password: 'root123' }, jobservice: { max_job_workers: 10 } });
    expect(data).not.toHaveProperty('https');
  });
});

describe('hostname', () => {
  it('maps straight over', () => {
    expect(load(cfg('')).data.hostname).toBe('reg.example.com');
  });

  it('is required', () => {
    const { errors, data } = load('ui_url_protocol = http\n');
    expect(errors).toEqual([expect.objectContaining({ code: 'E_CFG_MISSING_KEY', key: 'hostname', file: FILE })]);
    expect(data).not.toHaveProperty('hostname');
    const empty = load('hostname =\nui_url_protocol = http\n');
    expect(empty.errors).toEqual([expect.objectContaining({ code: 'E_CFG_MISSING_KEY', line: 1, key: 'hostname (→ hostname)' })]);
  });

  it('splits host:port into hostname and http.port, with a warning', () => {
    const { data, only } = load(cfg('hostname = reg.example.com:8080'));
    expect(data.hostname).toBe('reg.example.com');
    expect(data.http).toEqual({ port: 8080 });
    expect(only('W_CFG_HOSTNAME_PORT')).toEqual([expect.objectContaining({ line: 7, severity: 'warning' })]);
    expect(only('W_CFG_HOSTNAME_PORT')[0]?.message).toContain('http.port 8080');
  });

  it('puts the port into https.port when the protocol is https', () => {
    const { data } = load(cfg('hostname = 10.0.0.5:8443\nssl_cert = /c.crt\nssl_cert_key = /c.key', { protocol: 'https' }));
    expect(data.hostname).toBe('10.0.0.5');
    expect(data.http).toEqual({ port: 80 });
    expect(sub(data, 'https').port).toBe(8443);
  });

  it('splits a bracketed IPv6 address and leaves a bare one alone', () => {
    expect(load(cfg('hostname = [fd00::5]:8080')).data).toMatchObject({ hostname: 'fd00::5', http: { port: 8080 } });
    expect(load(cfg('hostname = fd00::5')).data).toMatchObject({ hostname: 'fd00::5', http: { port: 80 } });
  });
});

describe('ui_url_protocol, ssl_cert, ssl_cert_key', () => {
  it('https (exactly) creates the https block with the certificate paths as written', () => {
    const { data, problems } = load(cfg('ssl_cert = certs/server.crt\nssl_cert_key = /etc/harbor/server.key', { protocol: 'https' }));
    expect(problems).toEqual([]);
    expect(data.https).toEqual({ port: 443, certificate: 'certs/server.crt', private_key: '/etc/harbor/server.key' });
    expect(data.http).toEqual({ port: 80 });
  });

  it('http gives no https block and ignores the ssl keys silently', () => {
    const { data, problems } = load(cfg('ssl_cert = /data/cert/server.crt\nssl_cert_key = /data/cert/server.key'));
    expect(data).not.toHaveProperty('https');
    expect(problems).toEqual([]);
  });

  it('anything else is an error with a did-you-mean, never a fallback to plain http', () => {
    for (const [value, guess] of [['HTTPS', 'https'], ['Https', 'https'], ['htps', 'https'], ['htp', 'http'], ['ftp', 'http'], ['gopher', undefined], ['', undefined]] as const) {
      const { data, errors } = load(cfg('', { protocol: value }));
      expect(data, value).not.toHaveProperty('https');
      expect(errors, value).toEqual([expect.objectContaining({ code: 'E_CFG_PROTOCOL', line: 3, key: 'ui_url_protocol (→ https)' })]);
      if (guess) expect(errors[0]?.fix, value).toContain(`did you mean '${guess}'?`);
      else expect(errors[0]?.fix, value).toBe('use one of http, https');
    }
  });

  it('https without a certificate or key is an error naming the legacy key', () => {
    const { errors } = load(cfg('ssl_cert = /c.crt\nssl_cert_key =', { protocol: 'https' }));
    expect(errors).toEqual([expect.objectContaining({ code: 'E_CFG_MISSING_KEY', line: 8, key: 'ssl_cert_key (→ https.private_key)' })]);
    const missing = load(cfg('', { protocol: 'https' }));
    expect(missing.errors.map((p) => [p.key, p.line])).toEqual([
      ['ui_url_protocol (→ https.certificate)', 3],
      ['ui_url_protocol (→ https.private_key)', 3],
    ]);
    expect(missing.errors[0]?.message).toContain('ssl_cert is not set');
  });
});

describe('passwords and job workers', () => {
  it('maps db_password and harbor_admin_password', () => {
    const { data } = load(cfg(''));
    expect(sub(data, 'database').password).toBe('dbpw');
    expect(data.harbor_admin_password).toBe('adminpw');
  });

  it('keeps special characters in passwords unchanged', () => {
    const { data } = load(cfg('db_password = a$b%c"d\'e#f\nharbor_admin_password = p;w'));
    expect(sub(data, 'database').password).toBe('a$b%c"d\'e#f');
    expect(data.harbor_admin_password).toBe('p;w');
  });

  it('maps max_job_workers as an integer', () => {
    expect(sub(load(cfg('max_job_workers = 3 ')).data, 'jobservice').max_job_workers).toBe(3);
  });

  it('uses the default 10 for an empty max_job_workers, with a warning', () => {
    const { data, only } = load(cfg('max_job_workers ='));
    expect(sub(data, 'jobservice').max_job_workers).toBe(10);
    expect(only('W_CFG_EMPTY_VALUE')).toEqual([expect.objectContaining({ line: 7, key: 'max_job_workers (→ jobservice.max_job_workers)' })]);
  });

  it('rejects a max_job_workers that is not a number', () => {
    expect(load(cfg('max_job_workers = ten')).errors).toEqual([expect.objectContaining({ code: 'E_CFG_NOT_INTEGER', line: 7 })]);
  });
});

describe('log_rotate_count, log_rotate_size', () => {
  it('map into log.local', () => {
    const { data } = load(cfg('log_rotate_count = 7\nlog_rotate_size = 1G'));
    expect(sub(data, 'log').local).toEqual({ rotate_count: 7, rotate_size: '1G', location: '/var/log/harbor' });
  });

  it('empty values keep the defaults, with warnings', () => {
    const { data, only } = load(cfg('log_rotate_count =\nlog_rotate_size ='));
    expect(sub(data, 'log').local).toEqual({ rotate_count: 50, rotate_size: '200M', location: '/var/log/harbor' });
    expect(only('W_CFG_EMPTY_VALUE')).toHaveLength(2);
  });
});

describe('db_host, db_port, db_user', () => {
  it('drop the bundled PostgreSQL of 1.6–1.7', () => {
    const { data, problems } = load(cfg('db_host = postgresql\ndb_port = 5432\ndb_user = postgres'));
    expect(data).not.toHaveProperty('external_database');
    expect(problems).toEqual([]);
  });

  it('drop the bundled MySQL of 1.3–1.5', () => {
    const { data, errors } = load(cfg('db_host = mysql\ndb_port = 3306\ndb_user = root', { version: '1.5.0' }));
    expect(data).not.toHaveProperty('external_database');
    expect(errors).toEqual([]);
  });

  it('become external_database.harbor for another PostgreSQL server', () => {
    const { data, problems } = load(cfg('db_host = pg.example.com\ndb_port = 5433\ndb_user = harbor'));
    expect(problems).toEqual([]);
    expect(data.external_database).toEqual({
      harbor: { host: 'pg.example.com', port: 5433, db_name: 'registry', username: 'harbor', password: 'dbpw', ssl_mode: 'disable' },
    });
    expect(sub(data, 'database').password).toBe('dbpw');
  });

  it('postgresql on another port is external too', () => {
    expect(sub(load(cfg('db_host = postgresql\ndb_port = 6432')).data, 'external_database').harbor).toMatchObject({ host: 'postgresql', port: 6432 });
  });

  it('an external MySQL (1.3–1.5) is an error', () => {
    const { errors, data } = load(cfg('db_host = mysql.example.com\ndb_port = 3306\ndb_user = root', { version: '1.4.0' }));
    expect(errors).toEqual([expect.objectContaining({ code: 'E_CFG_EXTERNAL_MYSQL', line: 7, key: 'db_host (→ external_database.harbor.host)' })]);
    expect(errors[0]?.fix).toMatch(/harbor-migrator/);
    expect(data).not.toHaveProperty('external_database');
  });

  it('warn when the bundled database is given another user', () => {
    const { only } = load(cfg('db_host = postgresql\ndb_user = harbor'));
    expect(only('W_CFG_IGNORED_VALUE')).toEqual([expect.objectContaining({ line: 8, key: 'db_user' })]);
  });

  it('a non-numeric db_port is an error', () => {
    expect(load(cfg('db_host = pg.example.com\ndb_port = five')).errors).toEqual([expect.objectContaining({ code: 'E_CFG_NOT_INTEGER', line: 8 })]);
  });
});

describe('redis_url (1.4–1.5)', () => {
  it('internal redis:6379 or empty: nothing', () => {
    for (const v of ['redis:6379', '']) {
      const { data, problems } = load(cfg(`redis_url = ${v}`, { version: '1.5.0' }));
      expect(data).not.toHaveProperty('external_redis');
      expect(problems.filter((p) => p.code !== 'W_CFG_MYSQL_DATA')).toEqual([]);
    }
  });

  it('another server becomes external_redis host and password', () => {
    const { data, only } = load(cfg('redis_url = cache.example.com:6380,100,s3cret', { version: '1.5.0' }));
    expect(data.external_redis).toEqual({ host: 'cache.example.com:6380', password: 's3cret' });
    expect(only('W_CFG_IGNORED_VALUE')).toEqual([]);
  });

  it('warns that a db_index in redis_url has no target', () => {
    const { data, only, problems } = load(cfg('redis_url = cache.example.com:6380,100,s3cret,4', { version: '1.5.0' }));
    expect(data.external_redis).toEqual({ host: 'cache.example.com:6380', password: 's3cret' });
    expect(only('W_CFG_IGNORED_VALUE')).toHaveLength(1);
    expect(JSON.stringify(problems)).not.toContain('s3cret');
  });
});

describe('redis_host, redis_port, redis_password, redis_db_index (1.6+)', () => {
  it('the bundled redis:6379 gives nothing', () => {
    const { data, problems } = load(cfg('redis_host = redis\nredis_port = 6379\nredis_password =\nredis_db_index = 1,2,3'));
    for (const k of ['redis', 'external_redis']) expect(data).not.toHaveProperty(k);
    expect(problems).toEqual([]);
  });

  it('another server becomes external_redis with host:port in one string', () => {
    const { data } = load(cfg('redis_host = cache.example.com\nredis_port = 6380\nredis_password = pw\nredis_db_index = 1,2,3'));
    expect(data.external_redis).toEqual({ host: 'cache.example.com:6380', password: 'pw' });
    expect(data).not.toHaveProperty('redis');
  });

  it('an empty port means 6379, and an empty password is left out', () => {
    expect(load(cfg('redis_host = cache.example.com\nredis_port =\nredis_password =')).data.external_redis).toEqual({ host: 'cache.example.com:6379' });
  });

  it('db indexes go under redis for the bundled redis', () => {
    const { data } = load(cfg('redis_host = redis\nredis_port = 6379\nredis_db_index = 3,4,5'));
    expect(data.redis).toEqual({ registry_db_index: 3, jobservice_db_index: 4 });
    expect(data).not.toHaveProperty('external_redis');
  });

  it('db indexes go under external_redis for another server (a redis block would hide it)', () => {
    const { data } = load(cfg('redis_host = cache.example.com\nredis_port = 6379\nredis_db_index = 3,4,5'));
    expect(data.external_redis).toEqual({ host: 'cache.example.com:6379', registry_db_index: 3, jobservice_db_index: 4 });
    expect(data).not.toHaveProperty('redis');
  });

  it('a malformed redis_db_index is an error; index 0 a warning', () => {
    expect(load(cfg('redis_db_index = one')).errors).toEqual([expect.objectContaining({ code: 'E_CFG_REDIS_DB_INDEX', line: 7 })]);
    expect(load(cfg('redis_db_index = 0,2,3')).only('W_CFG_REDIS_DB_INDEX')).toHaveLength(1);
  });

  it('a password for the bundled redis is ignored with a warning', () => {
    expect(load(cfg('redis_host = redis\nredis_password = pw')).only('W_CFG_IGNORED_VALUE')).toEqual([expect.objectContaining({ key: 'redis_password' })]);
  });
});

describe('registry_storage_provider_name, registry_storage_provider_config, registry_custom_ca_bundle', () => {
  it('filesystem with an empty config gives no storage_service', () => {
    const { data, problems } = load(cfg('registry_storage_provider_name = filesystem\nregistry_storage_provider_config =\nregistry_custom_ca_bundle = '));
    expect(data).not.toHaveProperty('storage_service');
    expect(problems).toEqual([]);
  });

  it('"k: v, k2: v2" becomes a typed map under the provider', () => {
    const { data, problems } = load(
      cfg('registry_storage_provider_name = s3\nregistry_storage_provider_config = accesskey: AK, secretkey: SK/x+y, region: eu-west-1, bucket: harbor, secure: true, v4auth: false, chunksize: 5242880, regionendpoint: http://minio:9000, rootdirectory: /reg'),
    );
    expect(problems).toEqual([]);
    expect(data.storage_service).toEqual({
      s3: {
        accesskey: 'AK', secretkey: 'SK/x+y', region: 'eu-west-1', bucket: 'harbor', secure: true, v4auth: false, chunksize: 5242880,
        regionendpoint: 'http://minio:9000', rootdirectory: '/reg',
      },
    });
  });

  it('keeps leading-zero numbers as strings, and accepts the first pair without a space', () => {
    const { data } = load(cfg('registry_storage_provider_name = swift\nregistry_storage_provider_config = username:admin, password: 0123, tenant: 42'));
    expect(sub(data, 'storage_service').swift).toEqual({ username: 'admin', password: '0123', tenant: 42 });
  });

  it('warns about a later pair with no space after ":" (legacy wrote invalid YAML for it)', () => {
    const { data, only } = load(cfg('registry_storage_provider_name = oss\nregistry_storage_provider_config = bucket: b, region:r1'));
    expect(sub(data, 'storage_service').oss).toEqual({ bucket: 'b', region: 'r1' });
    expect(only('W_CFG_STORAGE_CONFIG')[0]?.message).toContain('region');
  });

  it('keeps the gcs keyfile as a host path', () => {
    const { data } = load(cfg('registry_storage_provider_name = gcs\nregistry_storage_provider_config = bucket: b, keyfile: /etc/gcs.json'));
    expect(sub(data, 'storage_service').gcs).toEqual({ bucket: 'b', keyfile: '/etc/gcs.json' });
  });

  it('a non-filesystem provider without config is an error', () => {
    expect(load(cfg('registry_storage_provider_name = azure\nregistry_storage_provider_config =')).errors).toEqual([
      expect.objectContaining({ code: 'E_CFG_STORAGE_CONFIG', line: 8 }),
    ]);
  });

  it('an unknown provider is an error with a did-you-mean', () => {
    const { errors } = load(cfg('registry_storage_provider_name = S3x\nregistry_storage_provider_config = bucket: b'));
    expect(errors).toEqual([expect.objectContaining({ code: 'E_CFG_STORAGE_PROVIDER', line: 7 })]);
    expect(errors[0]?.message).toContain('did you mean s3?');
  });

  it('a part that is not "key: value" is an error that does not echo the value', () => {
    const { errors } = load(cfg('registry_storage_provider_name = s3\nregistry_storage_provider_config = bucket: b, SECRETKEYVALUE'));
    expect(errors).toEqual([expect.objectContaining({ code: 'E_CFG_STORAGE_CONFIG' })]);
    expect(JSON.stringify(errors)).not.toContain('SECRETKEYVALUE');
  });

  it('maps registry_custom_ca_bundle to storage_service.ca_bundle', () => {
    const { data } = load(cfg('registry_storage_provider_name = filesystem\nregistry_storage_provider_config =\nregistry_custom_ca_bundle = /etc/ssl/storage-ca.pem'));
    expect(data.storage_service).toEqual({ ca_bundle: '/etc/ssl/storage-ca.pem' });
  });
});

describe('http_proxy, https_proxy, no_proxy', () => {
  it('map into proxy, drop the internal names from no_proxy and warn that the meaning changed', () => {
    const { data, only } = load(cfg('http_proxy = http://proxy:3128\nhttps_proxy = http://proxy:3128\nno_proxy = 127.0.0.1,localhost,core,registry,ui,.corp.example.com, 10.0.0.0/8'));
    expect(data.proxy).toEqual({
      http_proxy: 'http://proxy:3128',
      https_proxy: 'http://proxy:3128',
      no_proxy: '.corp.example.com,10.0.0.0/8',
      components: ['core', 'jobservice', 'trivy'],
    });
    expect(only('W_CFG_PROXY_SCOPE')).toEqual([expect.objectContaining({ line: 7, key: 'http_proxy (→ proxy)' })]);
  });

  it('empty values leave the template nulls and say nothing', () => {
    const { data, problems } = load(cfg('http_proxy =\nhttps_proxy =\nno_proxy = 127.0.0.1,localhost,core,registry'));
    expect(data.proxy).toEqual({ http_proxy: null, https_proxy: null, no_proxy: null, components: ['core', 'jobservice', 'trivy'] });
    expect(problems).toEqual([]);
  });
});

describe('uaa_ca_cert, uaa_ca_root', () => {
  it('map to uaa.ca_file with auth_mode = uaa_auth', () => {
    expect(load(cfg('auth_mode = uaa_auth\nuaa_ca_cert = /etc/uaa/ca.pem')).data.uaa).toEqual({ ca_file: '/etc/uaa/ca.pem' });
    expect(load(cfg('auth_mode = uaa_auth\nuaa_ca_root = /etc/uaa/root.pem', { version: null })).data.uaa).toEqual({ ca_file: '/etc/uaa/root.pem' });
  });

  it('are only listed as unused otherwise', () => {
    const { data, only } = load(cfg('auth_mode = db_auth\nuaa_ca_cert = /etc/uaa/ca.pem'));
    expect(data).not.toHaveProperty('uaa');
    expect(only('W_CFG_UNMAPPED')[0]?.message).toContain('uaa_ca_cert (line 8) → used only with auth_mode = uaa_auth');
  });
});

describe('secretkey_path', () => {
  it('/data needs nothing', () => {
    expect(load(cfg('secretkey_path = /data/')).only('W_CFG_SECRETKEY_PATH')).toEqual([]);
  });

  it('elsewhere: a warning telling the user to copy the key into data_volume', () => {
    const w = load(cfg('secretkey_path = /opt/harbor/keys/')).only('W_CFG_SECRETKEY_PATH');
    expect(w).toEqual([expect.objectContaining({ line: 7, key: 'secretkey_path', severity: 'warning' })]);
    expect(w[0]?.message).toContain('copy /opt/harbor/keys/secretkey to /data/secret/keys/secretkey');
  });
});

describe('system settings: booleans, integers, ldap_scope', () => {
  it('legacy booleans: on/true in any case are true, everything else false', () => {
    const s = (v: string) => load(cfg(`self_registration = ${v}`)).mapping.systemSettings.self_registration;
    expect([s('on'), s('ON'), s('True'), s('off'), s('false'), s('yes'), s('1')]).toEqual([true, true, true, false, false, false, false]);
  });

  it('warns about a boolean that is not on/off/true/false', () => {
    const { only } = load(cfg('self_registration = yes\nemail_ssl = 1\nverify_remote_cert = ON'));
    expect(only('W_CFG_BOOLEAN').map((p) => [p.key, p.line])).toEqual([
      ['self_registration', 7],
      ['email_ssl', 8],
    ]);
    expect(only('W_CFG_BOOLEAN')[0]?.message).toContain('read it as false');
  });

  it('integers are typed; empty or bad ones are left out with a note', () => {
    const { mapping, only } = load(cfg('token_expiration = 45\nldap_timeout =\nldap_group_scope = x'));
    expect(mapping.systemSettings).toEqual({ token_expiration: 45 });
    const msg = only('W_CFG_UNMAPPED')[0]?.message ?? '';
    expect(msg).toContain("ldap_timeout (line 8) → Harbor UI/API system setting ldap_timeout (empty: Harbor's default applies)");
    expect(msg).toContain('"x" is not a whole number');
  });

  it('renumbers ldap_scope for 1.1–1.3 files: 1→0, 2→1, 3→2', () => {
    const scope = (v: string, version: string | null, options?: HarborCfgOptions) => load(cfg(`ldap_scope = ${v}`, { version }), options).mapping.systemSettings.ldap_scope;
    expect(scope('1', null, { legacyVersion: '1.3' })).toBe(0);
    expect(scope('2', null, { legacyVersion: '1.1' })).toBe(1);
    expect(scope('3', null, { legacyVersion: '1.2' })).toBe(2);
    expect(scope('0', null, { legacyVersion: '1.3' })).toBeUndefined();
  });

  it('keeps ldap_scope 0–2 for 1.4+ files and caps larger values at 2', () => {
    const scope = (v: string) => load(cfg(`ldap_scope = ${v}`, { version: '1.6.0' })).mapping.systemSettings.ldap_scope;
    expect([scope('0'), scope('1'), scope('2'), scope('3'), scope('7')]).toEqual([0, 1, 2, 2, 2]);
  });

  it('with an unknown release, keeps 0–2 and says so', () => {
    const { mapping, only } = load(cfg('ldap_scope = 1', { version: null }));
    expect(mapping.version.version).toBeNull();
    expect(mapping.systemSettings.ldap_scope).toBe(1);
    expect(only('W_CFG_UNMAPPED')[0]?.message).toContain('add a line _version = ');
  });

  it('uses today\'s names for the settings', () => {
    const { mapping } = load(
      cfg(
        'ldap_searchdn = cn=admin\nldap_search_pwd = lpw\nldap_basedn = dc=x\nldap_group_basedn = ou=g\nldap_group_filter = (f)\nldap_group_gid = cn\nldap_group_admin_dn = cn=a\nuaa_clientid = id\nuaa_clientsecret = us\nldap_verify_cert = false',
      ),
    );
    expect(mapping.systemSettings).toEqual({
      ldap_search_dn: 'cn=admin', ldap_search_password: 'lpw', ldap_base_dn: 'dc=x', ldap_group_base_dn: 'ou=g', ldap_group_search_filter: '(f)',
      ldap_group_attribute_name: 'cn', ldap_group_admin_dn: 'cn=a', uaa_client_id: 'id', uaa_client_secret: 'us', ldap_verify_cert: false,
    });
  });
});

describe('which release wrote the file', () => {
  it('follows --legacy-version over _version', () => {
    expect(load(cfg('', { version: '1.7.0' }), { legacyVersion: '1.3' }).mapping.version).toEqual({ version: '1.3', from: 'option' });
  });

  it('warns about a _version that is not a 1.x release and falls back to the keys', () => {
    const { mapping, only } = load(cfg('db_host = postgresql', { version: '1.8.0' }));
    expect(mapping.version).toMatchObject({ version: '1.3', from: 'keys', badVersionValue: '1.8.0' });
    expect(only('W_CFG_VERSION')).toEqual([expect.objectContaining({ line: 1, key: '_version' })]);
  });

  it('warns that a 0.5 file is outside 1.x', () => {
    const { mapping, only } = load(cfg('use_compressed_js = on\ncrt_country = CN', { version: null }));
    expect(mapping.version.version).toBe('0.5');
    expect(only('W_CFG_VERSION')).toHaveLength(1);
  });
});
