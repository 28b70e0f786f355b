import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Secret } from 'kubernetes-models/v1';
import { makeWorkspace, type Workspace, type YamlEdits } from '../helpers/workspace.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';
import { regctlInProcess } from '../helpers/cli.js';
import { runExportHelm } from '../../src/export/helm/run.js';
import { leafPaths } from '../../src/export/helm/render.js';
import { chartLine, chooseChartLine } from '../../src/export/helm/chart-values/index.js';
import { CHART_TABLES } from '../../src/export/helm/chart-values/generated.js';
import { SECRET_PATHS } from '../../src/secrets/store.js';
import { INSTALLATION_RECORD, formatInstallationRecord } from '../../src/installation/record.js';
import { RegctlError } from '../../src/errors.js';

const SECRETKEY = 'abcdefghij012345';
const spaces: Workspace[] = [];
afterAll(() => spaces.forEach((w) => w.cleanup()));

async function install(edits: YamlEdits = {}, record?: { harborVersion: string; withTrivy?: boolean; withNotary?: boolean }): Promise<Workspace> {
  const w = makeWorkspace(edits);
  spaces.push(w);
  mkdirSync(path.join(w.dataDir, 'secret/keys'), { recursive: true });
  writeFileSync(path.join(w.dataDir, SECRET_PATHS.secretKey), SECRETKEY, { mode: 0o600 });
  await seedTokenKeyPair(w.dataDir);
  if (record) {
    const file = path.join(w.installDir, INSTALLATION_RECORD);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, formatInstallationRecord({ withTrivy: false, withNotary: false, ...record }));
  }
  return w;
}

async function exportOf(w: Workspace, extra: Partial<Parameters<typeof runExportHelm>[0]> = {}) {
  const output = path.join(w.dir, 'out');
  const r = await runExportHelm({ cwd: w.dir, configPath: w.configPath, installDir: w.installDir, output, ...extra });
  const values = parse(readFileSync(path.join(output, 'values.yaml'), 'utf8')) as Record<string, any>;
  const secretValues = parse(readFileSync(path.join(output, 'secret-values.yaml'), 'utf8')) as Record<string, any>;
  const secrets = parseAllDocuments(readFileSync(path.join(output, 'secrets.yaml'), 'utf8')).map((d) => d.toJS() as any);
  const migration = readFileSync(path.join(output, 'MIGRATION.md'), 'utf8');
  const byName = (n: string) => secrets.find((s) => s.metadata.name === n);
  const data = (n: string, k: string) => Buffer.from(byName(n).data[k], 'base64');
  return { r, output, values, secretValues, secrets, migration, byName, data };
}

function checkCommon(e: Awaited<ReturnType<typeof exportOf>>, w: Workspace) {
  const chart = chartLine(e.r.chartLine)!;
  // every key written is in the chart's table
  expect([...leafPaths(e.values), ...leafPaths(e.secretValues)].filter((p) => !chart.has(p) && !p.startsWith('trace.attributes.'))).toEqual([]);
  // Secrets validate and the kept secrets are byte-identical
  for (const s of e.secrets) expect(() => new Secret(s).validate()).not.toThrow();
  expect(e.data('harbor-secretkey', 'secretKey').equals(readFileSync(path.join(w.dataDir, SECRET_PATHS.secretKey)))).toBe(true);
  expect(e.data('harbor-token-service', 'tls.key').equals(readFileSync(path.join(w.dataDir, SECRET_PATHS.tokenKey)))).toBe(true);
  expect(e.data('harbor-token-service', 'tls.crt').equals(readFileSync(path.join(w.dataDir, SECRET_PATHS.tokenCert)))).toBe(true);
  expect(e.values.existingSecretSecretKey).toBe('harbor-secretkey');
  expect(e.values.core.secretName).toBe('harbor-token-service');
  expect(e.values.existingSecretAdminPassword).toBe('harbor-admin-password');
  // no secret inline in values.yaml
  const text = readFileSync(path.join(e.output, 'values.yaml'), 'utf8');
  for (const s of [SECRETKEY, 'Harbor12345', 'root123', 'BEGIN']) expect(text).not.toContain(s);
  expect(statSync(path.join(e.output, 'secrets.yaml')).mode & 0o777).toBe(0o600);
  expect(statSync(path.join(e.output, 'secret-values.yaml')).mode & 0o777).toBe(0o600);
  // chart defaults that differ from Docker's, set explicitly
  expect(e.values.ipFamily).toEqual({ ipv4: { enabled: true }, ipv6: { enabled: false } });
  expect(e.values.jobservice.loggerSweeperDuration).toBe(1);
  expect(e.values.jobservice.jobLoggers).toEqual(['stdout', 'file']);
  expect(e.migration).toContain('log.local');
}

describe('regctl export helm', () => {
  it('https, internal DB and redis (2.15 → chart 1.19)', async () => {
    const w = await install();
    const e = await exportOf(w);
    checkCommon(e, w);
    expect(e.r.chartVersion).toBe('1.19.2');
    expect(e.values.externalURL).toBe('https://reg.example.com');
    expect(e.values.expose).toMatchObject({ type: 'ingress', tls: { enabled: true, certSource: 'secret', secret: { secretName: 'harbor-tls' } }, ingress: { hosts: { core: 'reg.example.com' } } });
    const tls = e.byName('harbor-tls');
    expect(tls.type).toBe('kubernetes.io/tls');
    expect(e.data('harbor-tls', 'tls.crt').equals(readFileSync(path.join(w.certDir, 'registry.crt')))).toBe(true);
    expect(e.values.database).toEqual({ type: 'internal', maxIdleConns: 100, maxOpenConns: 900 });
    expect(e.secretValues.database.internal.password).toBe('root123');
    // chart internal defaults are jobservice "1", registry "2": Docker's are the other way round
    expect(e.values.redis).toEqual({ type: 'internal', internal: { jobserviceDatabaseIndex: '2', registryDatabaseIndex: '1', trivyAdapterIndex: '5' } });
    expect(e.values.persistence.imageChartStorage.type).toBe('filesystem');
    expect(e.values.trivy).toEqual({ enabled: false });
    expect(e.values.core.extraEnvVars).toEqual([{ name: 'POSTGRESQL_CONN_MAX_LIFETIME', value: '5m' }, { name: 'POSTGRESQL_CONN_MAX_IDLE_TIME', value: '0' }]);
    expect(e.migration).toMatch(/PostgreSQL 18/);
    expect(e.migration).toMatch(/pg_dump/);
    expect(e.migration).toMatch(/ingress class/);
  });

  it('http only, loadBalancer, proxy with only the user\'s no_proxy entries', async () => {
    const w = await install({ https: undefined, 'http.port': 8080, 'proxy.http_proxy': 'http://proxy:3128', 'proxy.https_proxy': 'http://proxy:3128', 'proxy.no_proxy': 'corp.example,10.0.0.0/8' });
    const e = await exportOf(w, { expose: 'loadBalancer' });
    checkCommon(e, w);
    expect(e.values.externalURL).toBe('http://reg.example.com:8080');
    expect(e.values.expose).toEqual({ type: 'loadBalancer', tls: { enabled: false }, loadBalancer: { ports: { httpPort: 8080 } } });
    expect(e.byName('harbor-tls')).toBeUndefined();
    expect(e.values.proxy).toEqual({ httpProxy: 'http://proxy:3128', httpsProxy: 'http://proxy:3128', noProxy: '10.0.0.0/8,corp.example', components: ['core', 'jobservice', 'trivy'] });
  });

  it('external DB and sentinel redis with TLS (2.14 → chart 1.18)', async () => {
    const w = await install(
      {
        database: undefined,
        external_database: { harbor: { host: 'pg.example', port: 5433, db_name: 'harbor', username: 'harbor', password: 'pgpass', ssl_mode: 'require', max_idle_conns: 5, max_open_conns: 50 } },
        external_redis: { host: 's1:26379,s2:26379', sentinel_master_set: 'mymaster', password: 'redispass', registry_db_index: 1, jobservice_db_index: 2, trivy_db_index: 5, idle_timeout_seconds: 30, tlsOptions: { enable: true, rootCA: path.join('certs', 'ca.crt') } },
        _version: '2.14.0',
        'trivy.db_repository': undefined,
        'trivy.java_db_repository': undefined,
      },
      { harborVersion: 'v2.14.4' },
    );
    const e = await exportOf(w);
    checkCommon(e, w);
    expect(e.r.chartLine).toBe('1.18');
    expect(e.values.database).toMatchObject({ type: 'external', external: { host: 'pg.example', port: '5433', coreDatabase: 'harbor', username: 'harbor', sslmode: 'require', existingSecret: 'harbor-database-external' }, maxIdleConns: 5, maxOpenConns: 50 });
    expect(e.data('harbor-database-external', 'password').toString()).toBe('pgpass');
    expect(e.values.redis).toEqual({
      type: 'external',
      external: { addr: 's1:26379,s2:26379', sentinelMasterSet: 'mymaster', tlsOptions: { enable: true }, coreDatabaseIndex: '0', jobserviceDatabaseIndex: '2', registryDatabaseIndex: '1', trivyAdapterIndex: '5', existingSecret: 'harbor-redis-external' },
    });
    expect(e.data('harbor-redis-external', 'REDIS_PASSWORD').toString()).toBe('redispass');
    expect(e.values.caBundleSecretName).toBe('harbor-ca-bundle');
    expect(readFileSync(path.join(e.output, 'values.yaml'), 'utf8')).not.toMatch(/pgpass|redispass/);
  });

  it('s3: credentials in a Secret, falsy guarded booleans and unknown keys reported', async () => {
    const w = await install({ storage_service: { s3: { region: 'eu-west-1', bucket: 'reg', accesskey: 'AK', secretkey: 'SK', regionendpoint: 'https://minio:9000', secure: false, forcepathstyle: true }, redirect: { disable: true } } });
    const e = await exportOf(w);
    checkCommon(e, w);
    expect(e.values.persistence.imageChartStorage).toEqual({ type: 's3', disableredirect: true, s3: { region: 'eu-west-1', bucket: 'reg', regionendpoint: 'https://minio:9000', existingSecret: 'harbor-storage' } });
    expect(e.data('harbor-storage', 'REGISTRY_STORAGE_S3_ACCESSKEY').toString()).toBe('AK');
    expect(e.data('harbor-storage', 'REGISTRY_STORAGE_S3_SECRETKEY').toString()).toBe('SK');
    const keys = e.r.gaps.map((g) => g.key);
    expect(keys).toContain('storage_service.s3.secure');
    expect(keys).toContain('storage_service.s3.forcepathstyle');
    expect(e.migration).toContain('storage_service.s3.forcepathstyle');
  });

  it('gcs: the keyfile becomes GCS_KEY_DATA, byte for byte', async () => {
    const w = await install();
    const key = '{"type":"service_account","private_key_id":"x"}\n';
    writeFileSync(path.join(w.dir, 'gcs.json'), key);
    writeFileSync(w.configPath, readFileSync(w.configPath, 'utf8') + `storage_service:\n  gcs:\n    bucket: regbucket\n    keyfile: ${path.join(w.dir, 'gcs.json')}\n    rootdirectory: /harbor\n`);
    const e = await exportOf(w);
    checkCommon(e, w);
    expect(e.values.persistence.imageChartStorage).toEqual({ type: 'gcs', gcs: { bucket: 'regbucket', rootdirectory: '/harbor', existingSecret: 'harbor-storage' } });
    expect(e.data('harbor-storage', 'GCS_KEY_DATA').toString()).toBe(key);
  });

  it('internal TLS: one kubernetes.io/tls Secret per chart component from internal_tls.dir', async () => {
    const w = await install();
    const dir = path.join(w.dir, 'internal');
    mkdirSync(dir);
    const ca = readFileSync(path.join(w.certDir, 'ca.crt'), 'utf8');
    writeFileSync(path.join(dir, 'harbor_internal_ca.crt'), ca);
    for (const f of ['core', 'job_service', 'registry', 'portal', 'trivy_adapter', 'proxy', 'registryctl', 'harbor_db']) {
      writeFileSync(path.join(dir, `${f}.crt`), readFileSync(path.join(w.certDir, 'registry.crt')));
      writeFileSync(path.join(dir, `${f}.key`), readFileSync(path.join(w.certDir, 'registry.key')));
    }
    writeFileSync(w.configPath, readFileSync(w.configPath, 'utf8') + `internal_tls:\n  enabled: true\n  dir: ${dir}\n`);
    const e = await exportOf(w);
    checkCommon(e, w);
    expect(e.values.internalTLS).toMatchObject({ enabled: true, certSource: 'secret', core: { secretName: 'harbor-internal-tls-core' }, trivy: { secretName: 'harbor-internal-tls-trivy' } });
    expect(e.byName('harbor-internal-tls-jobservice').type).toBe('kubernetes.io/tls');
    expect(e.data('harbor-internal-tls-core', 'ca.crt').toString()).toBe(ca);
  });

  it('refuses the 2.8 line (no supported chart) and an install with Notary, exit 2', async () => {
    expect(() => chooseChartLine('v2.8.6')).toThrow(/chart 1\.12\.x, which regctl has no value table/);
    expect(() => chooseChartLine('v2.15.2', { requested: '1.18.x' })).toThrow(/goes with chart 1\.19\.x/);
    const w = await install({}, { harborVersion: 'v2.8.6', withNotary: true });
    const err = await runExportHelm({ cwd: w.dir, configPath: w.configPath, installDir: w.installDir, output: path.join(w.dir, 'out') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegctlError);
    expect((err as RegctlError).exitCode).toBe(2);
    expect((err as RegctlError).message).toMatch(/no Notary/);
    expect(existsSync(path.join(w.dir, 'out'))).toBe(false);
  });

  it('output: a new dir or a previous export is (re)written; a foreign non-empty dir is refused', async () => {
    const w = await install();
    const out = path.join(w.dir, 'out');
    await exportOf(w);
    await exportOf(w); // a previous export is replaced
    expect(readdirSync(out).sort()).toEqual(['.regctl-helm-export', 'MIGRATION.md', 'secret-values.yaml', 'secrets.yaml', 'values.yaml']);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const r = await regctlInProcess(['export', 'helm', '--config', w.configPath, '--install-dir', w.installDir, '--output', out, '--json'], { cwd: w.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('E_EXPORT_OUTPUT');
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const other = path.join(w.dir, 'out2');
    const ok = await regctlInProcess(['export', 'helm', '--config', w.configPath, '--install-dir', w.installDir, '--output', other, '--expose', 'nodePort', '--json'], { cwd: w.dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout.trim().split('\n').pop()!).data.chartVersion).toBe('1.19.2');
  });

  it('the generated table has each supported chart line with its key value paths', () => {
    expect(Object.keys(CHART_TABLES).sort()).toEqual(['1.17', '1.18', '1.19']);
    for (const line of ['1.17', '1.18', '1.19']) {
      const t = chartLine(line)!;
      for (const p of ['externalURL', 'expose.tls.secret.secretName', 'existingSecretSecretKey', 'core.secretName', 'redis.external.sentinelMasterSet', 'persistence.imageChartStorage.s3.accesskey', 'ipFamily.ipv6.enabled', 'jobservice.loggerSweeperDuration']) expect(t.has(p), `${line}: ${p}`).toBe(true);
    }
  });
});
