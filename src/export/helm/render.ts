/**
 * `regctl export helm`, the pure part: from the typed model, the install's secrets and files, and
 * a chart line's value table to the files of the export (values.yaml, secret-values.yaml,
 * secrets.yaml, MIGRATION.md). No I/O here; run.ts reads and writes.
 *
 * Values the chart can only take inline (the bundled database's password, the Trivy GitHub token,
 * the Jaeger password) go into secret-values.yaml (0600), never into values.yaml. Everything else
 * secret is a Kubernetes Secret in secrets.yaml that values.yaml names.
 */
import { stringify } from 'yaml';
import type { HarborConfig } from '../../config/model.js';
import { INTERNAL_NO_PROXY } from '../../render/components/index.js';
import type { ChartLine } from './chart-values/index.js';

export const EXPOSE_TYPES = ['ingress', 'clusterIP', 'nodePort', 'loadBalancer'] as const;
export type ExposeType = (typeof EXPOSE_TYPES)[number];

/** names of the Secrets the export creates (in --namespace) */
export const SECRET_NAMES = {
  tls: 'harbor-tls',
  admin: 'harbor-admin-password',
  secretKey: 'harbor-secretkey',
  token: 'harbor-token-service',
  database: 'harbor-database-external',
  redis: 'harbor-redis-external',
  caBundle: 'harbor-ca-bundle',
  storage: 'harbor-storage',
  storageCa: 'harbor-storage-ca',
  uaaCa: 'harbor-uaa-ca',
  internalTls: (component: string) => `harbor-internal-tls-${component}`,
} as const;

/** file names in docker's internal_tls dir (Harbor's prepare gencert) per chart component */
export const INTERNAL_TLS_FILES: Readonly<Record<string, string>> = {
  core: 'core',
  jobservice: 'job_service',
  registry: 'registry',
  portal: 'portal',
  trivy: 'trivy_adapter',
};
export const INTERNAL_TLS_CA = 'harbor_internal_ca.crt';

export interface ExportSecrets {
  /** data_volume/secret/keys/secretkey, as read */
  secretKey: string;
  /** data_volume/secret/core/private_key.pem and secret/registry/root.crt, as read */
  tokenKeyPem: string;
  tokenCertPem: string;
  /** files the config names (https cert/key, CA bundles, gcs keyfile, internal TLS), by config path */
  files: ReadonlyMap<string, string>;
}

export interface ExportInput {
  config: HarborConfig;
  harborVersion: string;
  withTrivy: boolean;
  chart: ChartLine;
  namespace: string;
  expose: ExposeType;
  secrets: ExportSecrets;
  /** names NO_PROXY holds besides the user's (the release's extra internal names) */
  internalNoProxyExtra?: readonly string[];
}

/** A setting of the Docker install the chart cannot express, with what to do by hand. */
export interface ExportGap {
  key: string;
  reason: string;
  manual: string;
}

export interface ExportFile {
  path: string;
  content: string;
  mode: number;
}

export interface HelmExport {
  files: ExportFile[];
  values: Record<string, unknown>;
  secretValues: Record<string, unknown>;
  secrets: SecretManifest[];
  gaps: ExportGap[];
}

export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: string;
  data: Record<string, string>;
}

/** The files config paths the export reads (besides data_volume's secrets). */
export function filesNeeded(config: HarborConfig): string[] {
  const out: string[] = [];
  if (config.https) out.push(config.https.certificate, config.https.privateKey);
  if (config.https?.caFile) out.push(config.https.caFile);
  if (config.storage.caBundle) out.push(config.storage.caBundle);
  const keyfile = config.storage.providerConfig['keyfile'];
  if (config.storage.provider === 'gcs' && typeof keyfile === 'string' && keyfile) out.push(keyfile);
  if (config.redis.tlsRootCA) out.push(config.redis.tlsRootCA);
  if (config.uaaCaFile) out.push(config.uaaCaFile);
  if (config.internalTls.enabled) {
    out.push(joinPath(config.internalTls.dir, INTERNAL_TLS_CA));
    for (const f of Object.values(INTERNAL_TLS_FILES)) out.push(joinPath(config.internalTls.dir, `${f}.crt`), joinPath(config.internalTls.dir, `${f}.key`));
  }
  return [...new Set(out)];
}

function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** a redis URL of the model back into its parts */
export function parseRedisUrl(url: string): { tls: boolean; sentinel?: string; addr: string; db: number; username: string; password: string; idleTimeout?: string } {
  const m = /^(rediss?)(\+sentinel)?:\/\/(?:([^:@/]*)(?::([^@]*))?@)?([^/?]+)(\/[^?]*)?(?:\?(.*))?$/.exec(url);
  if (!m) throw new Error(`not a redis URL: ${url}`);
  const segs = (m[6] ?? '').split('/').filter(Boolean);
  const sentinel = m[2] ? segs.shift() : undefined;
  const q = new URLSearchParams(m[7] ?? '');
  return {
    tls: m[1] === 'rediss',
    sentinel,
    addr: m[5]!,
    db: segs[0] ? Number(segs[0]) : 0,
    username: decodeURIComponent(m[3] ?? ''),
    password: decodeURIComponent(m[4] ?? ''),
    idleTimeout: q.get('idle_timeout_seconds') ?? undefined,
  };
}

const JOB_LOGGERS: Record<string, string> = { STD_OUTPUT: 'stdout', FILE: 'file', DB: 'database' };

/** keys of storage_service.<driver> the chart's registry config renders (templates/registry/registry-cm.yaml) */
const STORAGE_SECRET_KEYS: Record<string, Record<string, string>> = {
  s3: { accesskey: 'REGISTRY_STORAGE_S3_ACCESSKEY', secretkey: 'REGISTRY_STORAGE_S3_SECRETKEY' },
  azure: { accountkey: 'AZURE_STORAGE_ACCESS_KEY' },
  swift: { password: 'REGISTRY_STORAGE_SWIFT_PASSWORD', secretkey: 'REGISTRY_STORAGE_SWIFT_SECRETKEY', accesskey: 'REGISTRY_STORAGE_SWIFT_ACCESSKEY' },
  oss: { accesskeysecret: 'REGISTRY_STORAGE_OSS_ACCESSKEYSECRET' },
  gcs: {},
};
/** booleans the chart guards with `if`: false cannot be expressed (the driver default applies) */
const TRUTHY_ONLY: Record<string, readonly string[]> = { s3: ['secure', 'v4auth', 'encrypt', 'skipverify'], oss: ['secure', 'encrypt', 'internal'] };

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** sets a dotted path in a nested object */
function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null || Array.isArray(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** every leaf path of a values object (arrays and empty objects are leaves) */
/** values whose content is free-form (the chart passes the map through) */
const OPAQUE_VALUES = new Set(['trace.attributes']);

export function leafPaths(obj: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && !OPAQUE_VALUES.has(p)) out.push(...leafPaths(v as Record<string, unknown>, p));
    else out.push(p);
  }
  return out;
}

export class UnknownChartKeyError extends Error {
  constructor(readonly keys: string[], readonly chartLine: string) {
    super(`export helm would write value paths chart ${chartLine}.x does not have: ${keys.join(', ')}`);
  }
}

/** What the value sections share while one export is built: the model and the writers. */
interface ExportBuilder {
  c: ExportInput['config'];
  input: ExportInput;
  set(path: string, value: unknown): void;
  setSecretValue(path: string, value: unknown): void;
  gap(key: string, reason: string, manual: string): void;
  /** the text of a host file the config names (read before rendering) */
  file(path: string): string;
  secret(name: string, data: Record<string, string>, type?: string): void;
}

/** values.yaml: expose and URL */
function exposeValues(b: ExportBuilder): void {
  const { c, set, gap, file, secret } = b;
  const { expose } = b.input;
  set('externalURL', c.publicUrl);
  set('expose.type', expose);
  const https = c.protocol === 'https' && c.https;
  set('expose.tls.enabled', Boolean(https));
  if (https) {
    set('expose.tls.certSource', 'secret');
    set('expose.tls.secret.secretName', SECRET_NAMES.tls);
    secret(SECRET_NAMES.tls, { 'tls.crt': file(https.certificate), 'tls.key': file(https.privateKey), ...(https.caFile ? { 'ca.crt': file(https.caFile) } : {}) }, 'kubernetes.io/tls');
  }
  if (expose === 'ingress') {
    set('expose.ingress.hosts.core', c.hostname);
    if (c.http.port !== 80 || (https && https.port !== 443)) gap('http.port / https.port', `an ingress listens on the ingress controller's ports, not ${c.http.port}${https ? `/${https.port}` : ''}`, 'configure the ports on the ingress controller, or export with --expose loadBalancer/nodePort');
    gap('(ingress class)', 'the Docker install has no ingress controller to name', 'set expose.ingress.className to your controller (e.g. nginx) and check its annotations (values.yaml keeps the chart defaults for proxy-body-size)');
  } else if (expose === 'nodePort') {
    set('expose.nodePort.ports.http.port', c.http.port);
    if (https) set('expose.nodePort.ports.https.port', https.port);
  } else {
    set(`expose.${expose}.ports.httpPort`, c.http.port);
    if (https) set(`expose.${expose}.ports.httpsPort`, https.port);
  }

}

/** values.yaml: admin password, secretkey, token pair */
function credentialValues(b: ExportBuilder): void {
  const { c, set, secret } = b;
  const { secrets } = b.input;
  secret(SECRET_NAMES.admin, { HARBOR_ADMIN_PASSWORD: c.harborAdminPassword });
  set('existingSecretAdminPassword', SECRET_NAMES.admin);
  set('existingSecretAdminPasswordKey', 'HARBOR_ADMIN_PASSWORD');
  secret(SECRET_NAMES.secretKey, { secretKey: secrets.secretKey });
  set('existingSecretSecretKey', SECRET_NAMES.secretKey);
  // templates/core/core-secret.yaml: the chart's own token pair uses keys tls.key / tls.crt
  secret(SECRET_NAMES.token, { 'tls.key': secrets.tokenKeyPem, 'tls.crt': secrets.tokenCertPem });
  set('core.secretName', SECRET_NAMES.token);
  set('core.quotaUpdateProvider', c.core.quotaUpdateProvider);

}

/** values.yaml: database */
function databaseValues(b: ExportBuilder): void {
  const { c, set, setSecretValue, secret } = b;
  const db = c.database;
  if (db.external) {
    set('database.type', 'external');
    set('database.external.host', db.host);
    set('database.external.port', String(db.port));
    set('database.external.username', db.username);
    set('database.external.coreDatabase', db.dbName);
    set('database.external.sslmode', db.sslMode);
    secret(SECRET_NAMES.database, { password: db.password });
    set('database.external.existingSecret', SECRET_NAMES.database);
  } else {
    set('database.type', 'internal');
    setSecretValue('database.internal.password', db.password);
  }
  set('database.maxIdleConns', db.maxIdleConns);
  set('database.maxOpenConns', db.maxOpenConns);
  // the chart has no value for these; core reads them from the environment (metadatalist.go)
  set('core.extraEnvVars', [
    { name: 'POSTGRESQL_CONN_MAX_LIFETIME', value: db.connMaxLifetime },
    { name: 'POSTGRESQL_CONN_MAX_IDLE_TIME', value: db.connMaxIdleTime },
  ]);

}

/** values.yaml: redis */
function redisValues(b: ExportBuilder): void {
  const { c, set, gap, file, secret } = b;
  const r = {
    core: parseRedisUrl(c.redis.urls.core),
    jobservice: parseRedisUrl(c.redis.urls.jobservice),
    registry: parseRedisUrl(c.redis.urls.registry),
    trivy: parseRedisUrl(c.redis.urls.trivy),
    harbor: c.redis.urls.harbor ? parseRedisUrl(c.redis.urls.harbor) : undefined,
    cacheLayer: c.redis.urls.cacheLayer ? parseRedisUrl(c.redis.urls.cacheLayer) : undefined,
  };
  const where = c.redis.external ? 'redis.external' : 'redis.internal';
  set('redis.type', c.redis.external ? 'external' : 'internal');
  // the chart's internal defaults are swapped against Docker's (jobservice "1", registry "2"): always explicit
  if (c.redis.external) set('redis.external.coreDatabaseIndex', String(r.core.db));
  set(`${where}.jobserviceDatabaseIndex`, String(r.jobservice.db));
  set(`${where}.registryDatabaseIndex`, String(r.registry.db));
  set(`${where}.trivyAdapterIndex`, String(r.trivy.db));
  if (r.harbor) set(`${where}.harborDatabaseIndex`, String(r.harbor.db));
  if (r.cacheLayer) set(`${where}.cacheLayerDatabaseIndex`, String(r.cacheLayer.db));
  if (c.redis.external) {
    set('redis.external.addr', r.core.addr);
    if (r.core.sentinel) set('redis.external.sentinelMasterSet', r.core.sentinel);
    if (r.core.tls) set('redis.external.tlsOptions.enable', true);
    if (r.core.password || r.core.username) {
      secret(SECRET_NAMES.redis, { REDIS_PASSWORD: r.core.password, ...(r.core.username ? { REDIS_USERNAME: r.core.username } : {}) });
      set('redis.external.existingSecret', SECRET_NAMES.redis);
    }
    if (c.redis.tlsRootCA) {
      secret(SECRET_NAMES.caBundle, { 'ca.crt': file(c.redis.tlsRootCA) });
      set('caBundleSecretName', SECRET_NAMES.caBundle);
    }
  }
  if (r.core.idleTimeout !== undefined && r.core.idleTimeout !== '30') {
    gap('external_redis.idle_timeout_seconds', `the chart hard-codes idle_timeout_seconds=30 (_helpers.tpl), the install uses ${r.core.idleTimeout}`, 'none in values; patch the rendered ConfigMaps or accept 30 s');
  }

}

/** values.yaml: storage */
function storageValues(b: ExportBuilder): void {
  const { c, set, gap, file, secret } = b;
  const { chart } = b.input;
  const st = c.storage;
  const base = 'persistence.imageChartStorage';
  set(`${base}.type`, st.provider);
  if (st.redirectDisable !== undefined) set(`${base}.disableredirect`, st.redirectDisable);
  if (st.caBundle) {
    secret(SECRET_NAMES.storageCa, { 'ca.crt': file(st.caBundle) });
    set(`${base}.caBundleSecretName`, SECRET_NAMES.storageCa);
  }
  const secretKeys = STORAGE_SECRET_KEYS[st.provider] ?? {};
  const storageSecret: Record<string, string> = {};
  for (const [k, raw] of Object.entries(st.providerConfig)) {
    const key = `storage_service.${st.provider}.${k}`;
    if (raw === null || raw === undefined || raw === '') continue;
    if (st.provider === 'filesystem' && k === 'rootdirectory') {
      if (raw !== '/storage') gap(key, `the chart mounts the registry volume at /storage; the install uses ${String(raw)}`, 'the files move with the storage copy (see MIGRATION.md); no setting needed');
      continue;
    }
    if (st.provider === 'gcs' && k === 'keyfile') {
      storageSecret['GCS_KEY_DATA'] = file(String(raw));
      continue;
    }
    const secretEnv = secretKeys[k];
    if (secretEnv) {
      storageSecret[secretEnv] = String(raw);
      continue;
    }
    if (TRUTHY_ONLY[st.provider]?.includes(k) && raw === false) {
      gap(key, `the chart renders ${k} only when true (templates/registry/registry-cm.yaml): false cannot be expressed`, `patch the registry ConfigMap after install (storage.${st.provider}.${k}: false)`);
      continue;
    }
    let value = raw;
    if (st.provider === 'oss' && k === 'endpoint' && typeof raw === 'string') {
      const bucket = String(st.providerConfig['bucket'] ?? '');
      // the chart renders endpoint as {{bucket}}.{{endpoint}}
      if (bucket && raw.startsWith(`${bucket}.`)) value = raw.slice(bucket.length + 1);
    }
    const p = `${base}.${st.provider}.${k}`;
    if (chart.has(p)) set(p, value);
    else gap(key, `chart ${chart.line}.x has no ${p} (templates/registry/registry-cm.yaml renders a fixed set of keys)`, `add it by hand to the registry ConfigMap, or drop it`);
  }
  if (Object.keys(storageSecret).length) {
    secret(SECRET_NAMES.storage, storageSecret);
    set(`${base}.${st.provider}.existingSecret`, SECRET_NAMES.storage);
  }
  gap('data_volume', 'no host path in Kubernetes: the chart uses PersistentVolumeClaims (persistence.persistentVolumeClaim.*)', 'set storageClass and sizes for registry, database, redis, jobservice and trivy; copy the data as MIGRATION.md says');

}

/** values.yaml: trivy */
function trivyValues(b: ExportBuilder): void {
  const { c, set, setSecretValue, input } = b;
  set('trivy.enabled', input.withTrivy);
  if (input.withTrivy) {
    const t = c.trivy;
    set('trivy.ignoreUnfixed', t.ignoreUnfixed);
    set('trivy.skipUpdate', t.skipUpdate);
    set('trivy.skipJavaDBUpdate', t.skipJavaDbUpdate);
    set('trivy.offlineScan', t.offlineScan);
    set('trivy.securityCheck', t.securityCheck);
    set('trivy.insecure', t.insecure);
    set('trivy.timeout', t.timeout);
    if (t.dbRepository) set('trivy.dbRepository', t.dbRepository.split(',').map((s) => s.trim()).filter(Boolean));
    if (t.javaDbRepository) set('trivy.javaDBRepository', t.javaDbRepository.split(',').map((s) => s.trim()).filter(Boolean));
    if (t.githubToken) setSecretValue('trivy.gitHubToken', t.githubToken);
  }

}

/** values.yaml: jobservice, registry, misc */
function componentValues(b: ExportBuilder): void {
  const { c, set, setSecretValue, gap, file, secret, input } = b;
  set('jobservice.maxJobWorkers', c.jobservice.maxJobWorkers);
  set('jobservice.reaper.max_update_hours', c.jobservice.maxJobDurationHours);
  set('jobservice.jobLoggers', c.jobservice.jobLoggers.map((l) => JOB_LOGGERS[l] ?? l.toLowerCase()));
  // chart default 14 days, Docker's 1
  set('jobservice.loggerSweeperDuration', c.jobservice.loggerSweeperDuration);
  set('jobservice.notification.webhook_job_max_retry', c.notification.webhookJobMaxRetry);
  set('jobservice.notification.webhook_job_http_client_timeout', c.notification.webhookJobHttpClientTimeout);
  set('registry.upload_purging.enabled', c.uploadPurging.enabled);
  set('registry.upload_purging.age', c.uploadPurging.age);
  set('registry.upload_purging.interval', c.uploadPurging.interval);
  set('registry.upload_purging.dryrun', c.uploadPurging.dryrun);
  set('logLevel', c.log.level);
  gap('log.local', 'the chart has no harbor-log (rsyslog) container: components log to stdout', 'collect pod logs with the cluster\'s log pipeline');
  if (c.log.externalEndpoint) gap('log.external_endpoint', 'no syslog forwarding in the chart', 'ship pod logs with the cluster\'s log pipeline (fluent-bit, vector...)');
  set('cache.enabled', c.cache.enabled);
  set('cache.expireHours', c.cache.expireHours);
  // chart default ipv6 on, Docker's off: always explicit
  set('ipFamily.ipv4.enabled', c.ipFamily.ipv4);
  set('ipFamily.ipv6.enabled', c.ipFamily.ipv6);

  set('metrics.enabled', c.metric.enabled);
  if (c.metric.enabled) for (const comp of ['core', 'registry', 'jobservice', 'exporter']) {
    set(`metrics.${comp}.port`, c.metric.port);
    set(`metrics.${comp}.path`, c.metric.path);
  }

  set('trace.enabled', c.trace.enabled);
  if (c.trace.enabled) {
    set('trace.sample_rate', c.trace.sampleRate);
    if (c.trace.namespace) set('trace.namespace', c.trace.namespace);
    if (Object.keys(c.trace.attributes).length) set('trace.attributes', c.trace.attributes);
    if (c.trace.otel) {
      set('trace.provider', 'otel');
      set('trace.otel.endpoint', c.trace.otel.endpoint);
      set('trace.otel.url_path', c.trace.otel.urlPath);
      set('trace.otel.compression', c.trace.otel.compression);
      set('trace.otel.insecure', c.trace.otel.insecure);
      set('trace.otel.timeout', c.trace.otel.timeout);
    } else if (c.trace.jaeger) {
      const j = c.trace.jaeger;
      set('trace.provider', 'jaeger');
      if (j.endpoint) set('trace.jaeger.endpoint', j.endpoint);
      if (j.username) set('trace.jaeger.username', j.username);
      if (j.password) setSecretValue('trace.jaeger.password', j.password);
      if (j.agentHost) set('trace.jaeger.agent_host', j.agentHost);
      if (j.agentPort !== undefined) set('trace.jaeger.agent_port', j.agentPort);
    }
  }

  // proxy: only the user's entries; the chart prepends its own service names (harbor.noProxy)
  if (c.proxy.httpProxy || c.proxy.httpsProxy) {
    const internal = new Set<string>([...INTERNAL_NO_PROXY, ...(input.internalNoProxyExtra ?? [])]);
    set('proxy.httpProxy', c.proxy.httpProxy);
    set('proxy.httpsProxy', c.proxy.httpsProxy);
    set('proxy.noProxy', c.proxy.noProxy.split(',').filter((n) => n && !internal.has(n)).join(','));
    set('proxy.components', c.proxy.components);
  }

  // internal TLS: the install's own certificates, as one kubernetes.io/tls Secret per component
  set('internalTLS.enabled', c.internalTls.enabled);
  set('internalTLS.strong_ssl_ciphers', c.strongSslCiphers);
  if (c.internalTls.enabled) {
    set('internalTLS.certSource', 'secret');
    const ca = file(joinPath(c.internalTls.dir, INTERNAL_TLS_CA));
    for (const [comp, f] of Object.entries(INTERNAL_TLS_FILES)) {
      const name = SECRET_NAMES.internalTls(comp);
      secret(name, { 'ca.crt': ca, 'tls.crt': file(joinPath(c.internalTls.dir, `${f}.crt`)), 'tls.key': file(joinPath(c.internalTls.dir, `${f}.key`)) }, 'kubernetes.io/tls');
      set(`internalTLS.${comp}.secretName`, name);
    }
    gap('internal_tls (proxy, registryctl, harbor_db certificates)', 'the chart has no slot for the nginx, registryctl and database certificates', 'none needed: the chart runs those without them; check that the component certificates carry the Kubernetes service names (harbor-core, …) or let the chart generate them (internalTLS.certSource: auto)');
  }
  if (c.uaaCaFile) {
    secret(SECRET_NAMES.uaaCa, { 'ca.crt': file(c.uaaCaFile) });
    set('uaaSecretName', SECRET_NAMES.uaaCa);
  }
}

/** The sections of values.yaml, in the order the chart's values.yaml has them. */
const VALUE_SECTIONS: readonly ((b: ExportBuilder) => void)[] = [exposeValues, credentialValues, databaseValues, redisValues, storageValues, trivyValues, componentValues];

export function renderHelmExport(input: ExportInput): HelmExport {
  const { config: c, chart, namespace, secrets } = input;
  const values: Record<string, unknown> = {};
  const secretValues: Record<string, unknown> = {};
  const gaps: ExportGap[] = [];
  const manifests: SecretManifest[] = [];
  const gap = (key: string, reason: string, manual: string) => gaps.push({ key, reason, manual });
  const file = (p: string): string => {
    const text = secrets.files.get(p);
    if (text === undefined) throw new Error(`export helm: ${p} was not read`);
    return text;
  };
  const secret = (name: string, data: Record<string, string>, type = 'Opaque') => {
    manifests.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'harbor', 'app.kubernetes.io/managed-by': 'regctl-export' } },
      type,
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    });
  };

  const b: ExportBuilder = { c, input, set: (p, v) => setPath(values, p, v), setSecretValue: (p, v) => setPath(secretValues, p, v), gap, file, secret };
  for (const section of VALUE_SECTIONS) section(b);

  // --- every key in the chart's table --------------------------------------------------------------
  const unknown = [...leafPaths(values), ...leafPaths(secretValues)].filter((p) => !chart.has(p));
  if (unknown.length) throw new UnknownChartKeyError(unknown, chart.line);

  const header = `# harbor-helm ${chart.chartVersion} (chart line ${chart.line}.x, appVersion ${chart.appVersion}) values exported by regctl from ${c.source.file} (Harbor ${input.harborVersion}).\n# Secrets are in secrets.yaml (apply first) and secret-values.yaml; see MIGRATION.md.\n`;
  const files: ExportFile[] = [
    { path: 'values.yaml', content: header + stringify(values, { lineWidth: 0 }), mode: 0o644 },
    { path: 'secret-values.yaml', content: `# values the chart only takes inline; keep this file private (helm install -f values.yaml -f secret-values.yaml)\n${Object.keys(secretValues).length ? stringify(secretValues, { lineWidth: 0 }) : '{}\n'}`, mode: 0o600 },
    { path: 'secrets.yaml', content: manifests.map((m) => stringify(m, { lineWidth: 0 })).join('---\n'), mode: 0o600 },
    { path: 'MIGRATION.md', content: migrationMd(input, gaps), mode: 0o644 },
  ];
  return { files, values, secretValues, secrets: manifests, gaps };
}

function migrationMd(input: ExportInput, gaps: ExportGap[]): string {
  const { config: c, chart, namespace } = input;
  const pg = chart.line === '1.19' ? 'PostgreSQL 18 (harbor-db v2.15.2)' : 'PostgreSQL 15 (harbor-db of the same Harbor line)';
  const lines = [
    `# Moving Harbor ${input.harborVersion} from ${c.hostname} to Kubernetes (harbor-helm ${chart.chartVersion})`,
    '',
    'Files: `values.yaml` (chart values), `secret-values.yaml` (values the chart takes only inline, mode 0600),',
    '`secrets.yaml` (Kubernetes Secrets the values name, mode 0600).',
    '',
    '## Steps',
    '',
    `1. Stop the Docker install's writers: \`regctl down\` (or stop core, jobservice, registry and nginx).`,
    c.database.external
      ? `2. Database: external (${c.database.host}:${c.database.port}/${c.database.dbName}); the chart connects to it as it is. Take a \`pg_dump -Fc\` backup first.`
      : `2. Database: dump the bundled one: \`docker exec harbor-db pg_dump -U postgres -Fc registry > registry.dump\`. The chart's database image is ${pg}: restore with \`pg_restore\` into it (or an external DB) before Harbor core starts, e.g. install with \`core.replicas: 0\`, restore into the \`registry\` database of the database pod, then scale core up. A raw copy of data_volume/database does not work across PostgreSQL majors.`,
    c.storage.provider === 'filesystem'
      ? `3. Registry storage: copy ${c.dataVolume}/registry (the \`docker\` tree) into the registry PersistentVolumeClaim (mounted at /storage), e.g. with a temporary pod and \`kubectl cp\` or rsync.`
      : `3. Registry storage: ${c.storage.provider}; the chart uses the same bucket, no copy needed. Keep the Docker install stopped so only one registry writes.`,
    `4. \`kubectl create namespace ${namespace}\` and \`kubectl apply -f secrets.yaml\`.`,
    `5. \`helm repo add harbor https://helm.goharbor.io && helm install harbor harbor/harbor --version ${chart.chartVersion} -n ${namespace} -f values.yaml -f secret-values.yaml\`.`,
    `6. DNS: point ${c.hostname} at the new entry point (${input.expose === 'ingress' ? 'the ingress controller; set expose.ingress.className' : `the ${input.expose} service`}); clients keep ${c.publicUrl}.`,
    '7. Check: log in, pull an existing image, and compare the project and repository counts with the old install.',
    '',
    'The secretkey (existingSecretSecretKey) and the token-signing pair (core.secretName) are the ones of',
    "data_volume/secret: stored registry passwords stay readable and issued tokens stay valid.",
    '',
    '## What has no chart equivalent',
    '',
    '| setting | why | what to do |',
    '|---|---|---|',
    ...gaps.map((g) => `| \`${g.key}\` | ${g.reason.replace(/\|/g, '\\|')} | ${g.manual.replace(/\|/g, '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}
