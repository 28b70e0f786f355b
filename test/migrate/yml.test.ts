/**
 * regctl migrate for harbor.yml: the schema steps as text edits (every untouched line byte for
 * byte), the losses of Harbor's own `prepare migrate` from 2.8 to 2.15 as regression tests, refusals
 * (downgrade, unknown _version), and the write contract (--output, --force, --dry-run).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { migrateYmlText, schemaOf } from '../../src/migrate/yml.js';
import { SCHEMA_VERSIONS, MIGRATION_STEPS } from '../../src/migrate/steps/index.js';
import { loadConfigText } from '../../src/config/load.js';
import { jsonResult, regctlInProcess } from '../helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';
import { repoRoot } from '../helpers/workspace.js';

const fixture = (name: string) => path.join(repoRoot, 'test/migrate/fixtures', name);
const sentinel28 = readFileSync(fixture('harbor-2.8-sentinel.yml'), 'utf8');
const chart21 = readFileSync(fixture('harbor-2.1-chart.yml'), 'utf8');

describe('harbor.yml 2.8 (sentinel redis, tuned external database) → 2.15', () => {
  const r = migrateYmlText('/etc/harbor/harbor.yml', sentinel28, '2.15.0');
  const data = parse(r.text) as Record<string, any>;

  it('accepts _version: 2.8.6 (Harbor wants 2.8.0) and sets the target schema version', () => {
    expect(r.from).toBe('2.8.0');
    expect(data._version).toBe('2.15.0');
  });

  it('changes only the lines it must: job_loggers added, _version set; comments and order kept', () => {
    const removed = sentinel28.split('\n').filter((l) => !r.text.split('\n').includes(l));
    expect(removed).toEqual(['_version: 2.8.6']);
    const added = r.text.split('\n').filter((l) => !sentinel28.split('\n').includes(l));
    expect(added).toEqual(["  # added by regctl migrate (2.9.0): the target's prepare needs it", '  job_loggers:', '    - STD_OUTPUT', '    - FILE', '_version: 2.15.0']);
    expect(r.text).toContain('host: pg.example.com   # the tuned pool below is what the DBA asked for');
    expect(Object.keys(data)).toEqual(Object.keys(parse(sentinel28) as object));
  });

  it("keeps what Harbor's prepare migrate loses: sentinel, trivy_db_index, idle_timeout_seconds, conn lifetimes, harbor_db_index without redis:, unknown keys", () => {
    expect(data.external_redis).toMatchObject({
      host: 'sentinel-1.example.com:26379,sentinel-2.example.com:26379,sentinel-3.example.com:26379',
      sentinel_master_set: 'mymaster',
      trivy_db_index: 7,
      idle_timeout_seconds: 45,
      harbor_db_index: 8,
      cache_layer_db_index: 9,
    });
    expect(data.redis).toBeUndefined();
    expect(data.external_database.harbor).toMatchObject({ conn_max_lifetime: '10m', conn_max_idle_time: '2m', max_idle_conns: 20, max_open_conns: 300 });
    expect(data.site_owner).toBe('platform-team');
    expect(r.problems.find((p) => p.code === 'W_MIGRATE_UNKNOWN_KEY')).toMatchObject({ key: 'site_owner', line: 279 });
  });

  it('adds jobservice.job_loggers, which the 2.15.2 prepare reads with a hard lookup', () => {
    expect(data.jobservice.job_loggers).toEqual(['STD_OUTPUT', 'FILE']);
  });

  it('passes regctl validation for the 2.15 line, with the redis URLs of a sentinel setup', () => {
    const loaded = loadConfigText('/etc/harbor/harbor.yml', r.text, { withTrivy: true, schemaVersion: '2.15.0' });
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(loaded.config.redis.urls.core).toMatch(/^redis\+sentinel:\/\//);
    expect(loaded.config.redis.urls.trivy).toContain('/7');
    expect(loaded.config.database).toMatchObject({ host: 'pg.example.com', port: 5433, connMaxLifetime: '10m', connMaxIdleTime: '2m' });
  });

  it('to 2.13: the same, with _version 2.13.0', () => {
    const to13 = migrateYmlText('/etc/harbor/harbor.yml', sentinel28, '2.13.0');
    expect(parse(to13.text)._version).toBe('2.13.0');
    expect(parse(to13.text).jobservice.job_loggers).toEqual(['STD_OUTPUT', 'FILE']);
  });
});

describe('harbor.yml 2.1 → 2.15: removals warned, renames kept in place', () => {
  const r = migrateYmlText('/etc/harbor/harbor.yml', chart21, '2.15.0');
  const data = parse(r.text) as Record<string, any>;
  it('drops chart, the Notary databases and clair from proxy.components, each with a warning on its line', () => {
    expect(data.chart).toBeUndefined();
    expect(data.external_database.notary_signer).toBeUndefined();
    expect(data.proxy.components).toEqual(['core', 'jobservice', 'trivy']);
    const removed = r.problems.filter((p) => p.code === 'W_MIGRATE_REMOVED').map((p) => [p.key, p.line]);
    expect(removed).toEqual([
      ['proxy.components', 46],
      ['chart', 17],
      ['external_database.notary_signer', 37],
    ]);
  });
  it('renames storage_service.redirect.disabled to disable, keeping its value and comment', () => {
    expect(r.text).toContain('    disable: true   # our S3 gateway cannot redirect');
    expect(data.storage_service.redirect).toEqual({ disable: true });
  });
  it('adds the keys 2.8 and 2.9 read with hard lookups, keeps every value', () => {
    expect(data.jobservice).toEqual({ max_job_workers: 4, logger_sweeper_duration: 1, job_loggers: ['STD_OUTPUT', 'FILE'] });
    expect(data.notification).toEqual({ webhook_job_max_retry: 5, webhook_job_http_client_timeout: 3 });
    expect(data.database).toEqual({ password: 'db-Pa55word', max_idle_conns: 100, max_open_conns: 900 });
    const loaded = loadConfigText('/etc/harbor/harbor.yml', r.text, { withTrivy: false, schemaVersion: '2.15.0' });
    expect(loaded.config.storage.redirectDisable).toBe(true);
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('older schema versions', () => {
  it('1.9: log.* moves under log.local, external_redis.port joins the host, notification is added', () => {
    const old = [
      'hostname: harbor.example.com',
      'http:',
      '  port: 80',
      'harbor_admin_password: S3cret-admin-pw',
      'database:',
      '  password: db-Pa55word',
      'data_volume: /data',
      'jobservice:',
      '  max_job_workers: 10',
      'log:',
      '  level: info',
      '  rotate_count: 9   # nine days',
      '  rotate_size: 50M',
      '  location: /var/log/harbor',
      'external_redis:',
      '  host: redis.example.com',
      '  port: 6380',
      '  password: redis-pw',
      '  registry_db_index: 1',
      '  jobservice_db_index: 2',
      '_version: 1.9.0',
      '',
    ].join('\n');
    const r = migrateYmlText('/etc/harbor/harbor.yml', old, '2.15.0');
    const data = parse(r.text) as Record<string, any>;
    expect(data.log).toEqual({ level: 'info', local: { rotate_count: 9, rotate_size: '50M', location: '/var/log/harbor' } });
    expect(data.external_redis).toEqual({ host: 'redis.example.com:6380', password: 'redis-pw', registry_db_index: 1, jobservice_db_index: 2 });
    expect(data.notification).toEqual({ webhook_job_max_retry: 10, webhook_job_http_client_timeout: 3 });
    const loaded = loadConfigText('/etc/harbor/harbor.yml', r.text, { withTrivy: false, schemaVersion: '2.15.0' });
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('every step file names a version of the chain, in order', () => {
    expect(SCHEMA_VERSIONS[0]).toBe('1.9.0');
    expect(MIGRATION_STEPS.map((s) => s.version)).toEqual(SCHEMA_VERSIONS.slice(1));
    expect(SCHEMA_VERSIONS.at(-1)).toBe('2.15.0');
  });

  it('_version in any X.Y.Z form of a known line', () => {
    expect(['2.8.6', 'v2.8.0', '2.8', '2.10.3'].map(schemaOf)).toEqual(['2.8.0', '2.8.0', '2.8.0', '2.10.0']);
  });
});

describe('refusals', () => {
  const withVersion = (v: string) => sentinel28.replace('_version: 2.8.6', `_version: ${v}`);
  it.each([
    ['2.16.0', 'E_MIGRATE_VERSION'],
    ['1.8.0', 'E_MIGRATE_VERSION'],
    ['banana', 'E_MIGRATE_VERSION'],
  ])('_version %s is refused (%s, exit 2)', (v, code) => {
    expect(() => migrateYmlText('/x/harbor.yml', withVersion(v), '2.15.0')).toThrow(expect.objectContaining({ code, exitCode: 2 }));
  });
  it('a downgrade is refused', () => {
    expect(() => migrateYmlText('/x/harbor.yml', withVersion('2.15.0'), '2.13.0')).toThrow(expect.objectContaining({ code: 'E_MIGRATE_DOWNGRADE', exitCode: 2 }));
  });
  it('a file without _version is refused', () => {
    expect(() => migrateYmlText('/x/harbor.yml', sentinel28.replace('_version: 2.8.6\n', ''), '2.15.0')).toThrow(expect.objectContaining({ code: 'E_MIGRATE_NO_VERSION' }));
  });
});

describe('regctl migrate (harbor.yml): writes', () => {
  const setup = () => {
    const dir = tempDirSync('regctl-migrate');
    const file = path.join(dir, 'harbor.yml');
    writeFileSync(file, sentinel28);
    return { dir, file };
  };

  it('--dry-run prints a diff with secrets masked and writes nothing', async () => {
    const { dir, file } = setup();
    const r = await regctlInProcess(['migrate', '--config', file, '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+  job_loggers:');
    expect(r.stdout).toContain('-_version: 2.8.6');
    expect(r.stdout).toContain('+_version: 2.15.0');
    expect(r.stdout).not.toContain('redis-Pa55word');
    expect(readFileSync(file, 'utf8')).toBe(sentinel28);
  });

  it('in place needs --force (exit 2 without), then keeps the original as harbor.yml.2.8.0.bak', async () => {
    const { dir, file } = setup();
    const refused = await regctlInProcess(['migrate', '--config', file, '--json'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(jsonResult(refused.stdout).error?.code).toBe('E_OUTPUT_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe(sentinel28);
    const done = await regctlInProcess(['migrate', '--config', file, '--force', '--json'], { cwd: dir });
    expect(done.code).toBe(0);
    const env = jsonResult(done.stdout);
    expect(env.data).toMatchObject({ wrote: true, from: '2.8.0', to: '2.15.0', release: 'v2.15.2', backup: `${file}.2.8.0.bak` });
    expect(env.findings.map((f) => f.code)).toContain('W_MIGRATE_UNKNOWN_KEY');
    expect(readFileSync(`${file}.2.8.0.bak`, 'utf8')).toBe(sentinel28);
    expect(parse(readFileSync(file, 'utf8'))._version).toBe('2.15.0');
    // a second run: nothing to do
    const again = await regctlInProcess(['migrate', '--config', file, '--json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(jsonResult(again.stdout).data.wrote).toBe(false);
  });

  it('--output to a new file; --to 2.14 picks that line', async () => {
    const { dir, file } = setup();
    const out = path.join(dir, 'new.yml');
    const r = await regctlInProcess(['migrate', '--config', file, '--output', out, '--to', '2.14', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(parse(readFileSync(out, 'utf8'))._version).toBe('2.14.0');
    expect(readFileSync(file, 'utf8')).toBe(sentinel28);
    expect(jsonResult(r.stdout).next[0]).toBe(`regctl prepare --config ${out} --harbor-version 2.14.4`);
  });

  it('what validation cannot resolve is listed as next steps (a placeholder hostname, a missing certificate)', async () => {
    const { dir } = setup();
    const file = path.join(dir, 'placeholder.yml');
    writeFileSync(file, sentinel28.replace('hostname: harbor.example.com', 'hostname: reg.mydomain.com').replace('# https:\n#   # https port for harbor, default is 443\n#   port: 443', 'https:\n  port: 443\n  certificate: /no/such/server.crt\n  private_key: /no/such/server.key\n#'));
    const r = await regctlInProcess(['migrate', '--config', file, '--output', path.join(dir, 'out.yml'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const steps = jsonResult(r.stdout).data.nextSteps.map((p: { key?: string }) => p.key);
    expect(steps).toEqual(expect.arrayContaining(['hostname', 'https.certificate']));
    expect(existsSync(path.join(dir, 'out.yml'))).toBe(true);
  });

  it('a downgrade through the CLI: exit 2, nothing written', async () => {
    const { dir } = setup();
    const file = path.join(dir, 'new.yml');
    writeFileSync(file, sentinel28.replace('_version: 2.8.6', '_version: 2.15.0'));
    const r = await regctlInProcess(['migrate', '--config', file, '--to', '2.13.5', '--output', path.join(dir, 'o.yml'), '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_MIGRATE_DOWNGRADE');
    expect(existsSync(path.join(dir, 'o.yml'))).toBe(false);
  });
});
