/**
 * ConfigDocument (harbor.yml shape) → HarborConfig, applying Harbor v2.15's defaults and derived
 * values (utils/configs.py parse_yaml_config). Type problems and missing required keys are
 * recorded on the reader; semantic checks live in validate.ts.
 */
import path from 'node:path';
import type { ConfigDocument } from './document.js';
import type { HarborConfig, LogLevel, StorageProvider, TraceConfig, InternalUrls, DatabaseConfig, NotaryDatabaseConfig } from './model.js';
import { keyOutsideLine } from './key-lifetimes.js';
import { STORAGE_PROVIDERS } from './model.js';
import { ConfigReader } from './reader.js';
import { buildRedisConfig } from './redis-urls.js';
import type { Problem } from '../errors.js';
// the internal names come from the component registry: one list of services (type-only imports back)
import { INTERNAL_NO_PROXY } from '../render/components/index.js';

export const PLACEHOLDER_CERT = '/your/certificate/path';
export const PLACEHOLDER_KEY = '/your/private/key/path';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error', 'fatal'];
export { STORAGE_PROVIDERS };


export function internalUrls(tls: boolean): InternalUrls {
  return tls
    ? {
        portal: 'https://portal:8443',
        registry: 'https://registry:5443',
        registryController: 'https://registryctl:8443',
        core: 'https://core:8443',
        coreLocal: 'https://core:8443',
        tokenService: 'https://core:8443/service/token',
        jobservice: 'https://jobservice:8443',
        trivyAdapter: 'https://trivy-adapter:8443',
      }
    : {
        portal: 'http://portal:8080',
        registry: 'http://registry:5000',
        registryController: 'http://registryctl:8080',
        core: 'http://core:8080',
        coreLocal: 'http://127.0.0.1:8080',
        tokenService: 'http://core:8080/service/token',
        jobservice: 'http://jobservice:8080',
        trivyAdapter: 'http://trivy-adapter:8080',
      };
}

export interface BuiltModel {
  config?: HarborConfig;
  problems: Problem[];
}

/**
 * Relative host paths in the config are resolved from the config file's directory, and recorded:
 * those are read where the config file is, while absolute ones are host paths that --root
 * prefixes (src/installation/host-paths.ts).
 */
function pathResolver(configDir: string, relative: string[]): (configDir: string, p: string) => string {
  return (_dir, p) => {
    if (p === '') return '';
    const resolved = path.resolve(configDir, p);
    if (!path.isAbsolute(p)) relative.push(resolved);
    return resolved;
  };
}

/**
 * @param schemaVersion the _version of the release line this run renders for: keys that line does
 * not read (src/config/key-lifetimes.ts) are not required (the newest line when omitted)
 */
type HostPath = (configDir: string, p: string) => string;

export function buildModel(doc: ConfigDocument, schemaVersion?: string): BuiltModel {
  const problems: Problem[] = [];
  const r = new ConfigReader(doc, problems);
  const configDir = path.dirname(doc.file);
  const configRelativePaths: string[] = [];
  const hostPath = pathResolver(configDir, configRelativePaths);
  // the 2.8 line has the fixed STD_OUTPUT + FILE loggers and does not read job_loggers
  const readsJobLoggers = !schemaVersion || !keyOutsideLine('jobservice.job_loggers', schemaVersion);
  // the sections are read in this order, which is the order their problems are reported in
  requireHardLookups(r, readsJobLoggers);
  const hostname = r.str('hostname', '');
  const dataVolume = r.str('data_volume', '');
  const endpoint = readEndpoint(r, hostname, configDir, hostPath);
  const database = readDatabase(r);
  const storage = readStorageProvider(r, configDir, hostPath);
  const proxy = readNoProxy(r);
  const maxJobDurationHours = readMaxJobDuration(r);
  const jobLoggers = readsJobLoggers ? (r.list('jobservice.job_loggers') ?? []).map(String) : ['STD_OUTPUT', 'FILE'];
  const level = r.str('log.level', 'info').toLowerCase() as LogLevel;
  const externalEndpoint = readLogEndpoint(r);
  const metric = readMetric(r);
  const trace = readTrace(r);
  const uploadPurging = {
    enabled: r.truthy('upload_purging') ? r.bool('upload_purging.enabled', false) : false,
    age: r.str('upload_purging.age', '168h'),
    interval: r.str('upload_purging.interval', '24h'),
    dryrun: r.bool('upload_purging.dryrun', false),
  };
  const cache = { enabled: r.bool('cache.enabled', false), expireHours: r.int('cache.expire_hours', 0, { zeroIsDefault: false }) };
  const quota = r.str('core.quota_update_provider', 'db');
  const redis = buildRedisConfig(r.mapping('redis'), r.mapping('external_redis'));
  if (redis.tlsRootCA) redis.tlsRootCA = hostPath(configDir, redis.tlsRootCA);

  const config: HarborConfig = {
    source: { file: doc.file, format: doc.format },
    configRelativePaths,
    schemaVersion: r.str('_version', ''),
    hostname,
    protocol: endpoint.https ? 'https' : 'http',
    http: { port: endpoint.httpPort },
    https: endpoint.https,
    strongSslCiphers: endpoint.strongSslCiphers,
    ipFamily: endpoint.ipFamily,
    internalTls: endpoint.internalTls,
    externalUrl: endpoint.externalUrl,
    publicUrl: endpoint.publicUrl,
    urls: internalUrls(endpoint.internalTls.enabled),
    harborAdminPassword: r.str('harbor_admin_password', ''),
    database,
    // only lines with Notary read them (on later lines they are retired keys: a warning)
    notaryDatabases:
      database.external && schemaVersion && !keyOutsideLine('external_database.notary_signer', schemaVersion)
        ? { signer: notaryDatabase(r, 'notary_signer'), server: notaryDatabase(r, 'notary_server') }
        : {},
    dataVolume,
    storage: { provider: storage.provider, providerConfig: storage.providerConfig, caBundle: hostPath(configDir, r.str('storage_service.ca_bundle', '')), redirectDisable: storage.redirectDisable },
    trivy: readTrivy(r),
    jobservice: {
      maxJobWorkers: r.int('jobservice.max_job_workers', 10, { min: 1 }),
      maxJobDurationHours,
      jobLoggers,
      loggerSweeperDuration: r.int('jobservice.logger_sweeper_duration', 1, { zeroIsDefault: false, min: 0 }),
    },
    notification: {
      webhookJobMaxRetry: r.int('notification.webhook_job_max_retry', 3, { zeroIsDefault: false, min: 0 }),
      webhookJobHttpClientTimeout: r.int('notification.webhook_job_http_client_timeout', 3, { zeroIsDefault: false, min: 0 }),
    },
    log: {
      level,
      local: {
        rotateCount: r.int('log.local.rotate_count', 50),
        rotateSize: r.str('log.local.rotate_size', '200M'),
        location: r.str('log.local.location', '/var/log/harbor'),
      },
      externalEndpoint,
    },
    proxy: {
      httpProxy: r.str('proxy.http_proxy', ''),
      httpsProxy: r.str('proxy.https_proxy', ''),
      ...proxy,
    },
    uploadPurging,
    cache,
    metric,
    trace,
    core: { quotaUpdateProvider: quota as 'db' | 'redis' },
    redis,
    uaaCaFile: hostPath(configDir, r.str('uaa.ca_file', '')),
  };
  return { config, problems };
}

/** The keys Harbor's prepare reads with hard lookups (a KeyError there): required here. */
function requireHardLookups(r: ConfigReader, readsJobLoggers: boolean): void {
  r.required('hostname', 'set `hostname:` to the DNS name or IP address clients use to reach this host');
  r.required('data_volume', 'set `data_volume: /data` (an absolute host directory for all Harbor data)');
  r.required('harbor_admin_password', 'set `harbor_admin_password:` to the initial admin password');
  r.required('jobservice.max_job_workers', 'add `jobservice:` with `max_job_workers: 10`');
  if (readsJobLoggers) r.required('jobservice.job_loggers', 'add `job_loggers: [STD_OUTPUT, FILE]` under `jobservice:`');
  r.required('jobservice.logger_sweeper_duration', 'add `logger_sweeper_duration: 1` (days) under `jobservice:`');
  r.required('notification.webhook_job_max_retry', 'add `notification:` with `webhook_job_max_retry: 3`');
  r.required('notification.webhook_job_http_client_timeout', 'add `webhook_job_http_client_timeout: 3` under `notification:`');
  r.required('log.level', 'add `log:` with `level: info`');
  if (!r.truthy('log.local')) {
    r.error('log.local', 'E_REQUIRED', "'log.local' is required (the compose file mounts its location)", 'add `local:` under `log:` with `location: /var/log/harbor`');
  }
  if (!r.truthy('database') && !r.truthy('external_database')) {
    r.error('database', 'E_REQUIRED', "either 'database' (bundled PostgreSQL) or 'external_database' is required", 'add `database:` with `password: <a strong password>`');
  }
}

/** Protocol, ports, certificate paths, the public URL, internal TLS and IP families. */
function readEndpoint(r: ConfigReader, hostname: string, configDir: string, hostPath: HostPath) {
  r.mapping('http');
  const httpPort = r.int('http.port', 80, { zeroIsDefault: false });
  const httpsBlock = r.mapping('https');
  const httpsOn = r.truthy('https') && httpsBlock !== undefined;
  const https = httpsOn
    ? {
        port: r.int('https.port', 443, { zeroIsDefault: false }),
        certificate: hostPath(configDir, r.str('https.certificate', '')),
        privateKey: hostPath(configDir, r.str('https.private_key', '')),
        caFile: r.has('https.ca_file') ? hostPath(configDir, r.str('https.ca_file', '')) || undefined : undefined,
      }
    : undefined;
  // keep the placeholders recognisable for validation (resolving makes them absolute anyway)
  if (https) {
    const rawCert = r.str('https.certificate', '');
    const rawKey = r.str('https.private_key', '');
    if (rawCert === PLACEHOLDER_CERT) https.certificate = PLACEHOLDER_CERT;
    if (rawKey === PLACEHOLDER_KEY || rawKey === PLACEHOLDER_CERT) https.privateKey = rawKey;
  }
  const externalUrl = r.str('external_url', '');
  let publicUrl: string;
  if (externalUrl) publicUrl = externalUrl;
  else if (https) publicUrl = https.port === 443 ? `https://${hostname}` : `https://${hostname}:${https.port}`;
  else publicUrl = httpPort === 80 ? `http://${hostname}` : `http://${hostname}:${httpPort}`;

  const internalTlsEnabled = r.truthy('internal_tls') && r.bool('internal_tls.enabled', false);
  const internalTls = { enabled: internalTlsEnabled, dir: internalTlsEnabled ? hostPath(configDir, r.str('internal_tls.dir', '')) : '' };
  const strongSslCiphers =
    (https ? r.bool('https.strong_ssl_ciphers', false) : false) ||
    (r.truthy('internal_tls') ? r.bool('internal_tls.strong_ssl_ciphers', false) : false);

  const ipFamily = r.truthy('ip_family')
    ? { ipv4: r.bool('ip_family.ipv4.enabled', false), ipv6: r.bool('ip_family.ipv6.enabled', false) }
    : { ipv4: true, ipv6: false };
  return { httpPort, https, externalUrl, publicUrl, internalTls, strongSslCiphers, ipFamily };
}

/** database: (bundled PostgreSQL, fixed host and user) or external_database.harbor (all required) */
function readDatabase(r: ConfigReader): DatabaseConfig {
  if (r.truthy('external_database')) {
    const h = 'external_database.harbor';
    for (const k of ['host', 'port', 'db_name', 'username', 'password', 'ssl_mode']) {
      r.required(`${h}.${k}`, `add \`${k}:\` under \`external_database.harbor:\``);
    }
    return {
      external: true,
      host: r.str(`${h}.host`, ''),
      port: r.int(`${h}.port`, 5432, { min: 1, max: 65535 }),
      dbName: r.str(`${h}.db_name`, ''),
      username: r.str(`${h}.username`, ''),
      password: r.str(`${h}.password`, ''),
      sslMode: r.str(`${h}.ssl_mode`, 'disable'),
      maxIdleConns: r.int(`${h}.max_idle_conns`, 2),
      maxOpenConns: r.int(`${h}.max_open_conns`, 0),
      connMaxLifetime: r.str(`${h}.conn_max_lifetime`, '5m'),
      connMaxIdleTime: r.str(`${h}.conn_max_idle_time`, '0'),
    };
  } else {
    return {
      external: false,
      host: 'postgresql',
      port: 5432,
      dbName: 'registry',
      username: 'postgres',
      password: r.str('database.password', ''),
      sslMode: 'disable',
      maxIdleConns: r.int('database.max_idle_conns', 2),
      maxOpenConns: r.int('database.max_open_conns', 0),
      connMaxLifetime: r.str('database.conn_max_lifetime', '5m'),
      connMaxIdleTime: r.str('database.conn_max_idle_time', '0'),
    };
  }

}

function readStorageProvider(r: ConfigReader, configDir: string, hostPath: HostPath): { provider: StorageProvider; providerConfig: Record<string, unknown>; redirectDisable?: boolean } {
  r.mapping('storage_service');
  let provider: StorageProvider = 'filesystem';
  let providerConfig: Record<string, unknown> = {};
  for (const p of STORAGE_PROVIDERS) {
    if (r.truthy(`storage_service.${p}`)) {
      provider = p;
      providerConfig = r.mapping(`storage_service.${p}`) ?? {};
      break;
    }
  }
  if (provider === 'gcs' && typeof providerConfig.keyfile === 'string' && providerConfig.keyfile) {
    providerConfig = { ...providerConfig, keyfile: hostPath(configDir, providerConfig.keyfile) };
  }
  const redirectDisable = r.truthy('storage_service.redirect') ? r.bool('storage_service.redirect.disable', false) : undefined;

  return { provider, providerConfig, redirectDisable };
}

/** no_proxy: the internal service names always, then the user's, sorted and deduplicated */
function readNoProxy(r: ConfigReader): { noProxy: string; components: string[] } {
  const userNoProxy = r
    .str('proxy.no_proxy', '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const noProxy = [...new Set([...INTERNAL_NO_PROXY, ...userNoProxy])].sort().join(',');
  const components = (r.list('proxy.components') ?? []).map(String);

  return { noProxy, components };
}

function readMaxJobDuration(r: ConfigReader): number {
  const rawDuration = r.raw('jobservice.max_job_duration_hours');
  // Harbor clamps: a non-integer or a value under 24 silently becomes 24
  const maxJobDurationHours = typeof rawDuration === 'number' && Number.isInteger(rawDuration) && rawDuration >= 24 ? rawDuration : 24;
  if (rawDuration !== undefined && rawDuration !== null && maxJobDurationHours !== rawDuration) {
    r.warn('jobservice.max_job_duration_hours', 'W_CLAMPED', `max_job_duration_hours ${JSON.stringify(rawDuration)} is raised to 24 (Harbor's minimum)`, 'use a whole number of 24 or more');
  }
  return maxJobDurationHours;
}

function readLogEndpoint(r: ConfigReader): HarborConfig['log']['externalEndpoint'] {
  return r.truthy('log.external_endpoint')
    ? {
        protocol: r.str('log.external_endpoint.protocol', '') as 'tcp' | 'udp',
        host: r.str('log.external_endpoint.host', ''),
        port: r.int('log.external_endpoint.port', 0, { zeroIsDefault: false }),
      }
    : undefined;
}

function readMetric(r: ConfigReader): HarborConfig['metric'] {
  const metricOn = r.truthy('metric');
  if (metricOn) {
    for (const k of ['enabled', 'port', 'path']) r.required(`metric.${k}`, `add \`${k}:\` under \`metric:\``);
  }
  const metric = metricOn
    ? { enabled: r.bool('metric.enabled', false), port: r.int('metric.port', 9090, { zeroIsDefault: false }), path: r.str('metric.path', '/metrics') }
    : { enabled: false, port: 8080, path: 'metrics' };

  return metric;
}

function readTrace(r: ConfigReader): TraceConfig {
  const trace: TraceConfig = {
    enabled: r.bool('trace.enabled', false),
    sampleRate: r.has('trace.sample_rate') ? Number(r.raw('trace.sample_rate')) : 1,
    namespace: r.str('trace.namespace', ''),
    attributes: (r.mapping('trace.attributes') ?? {}) as Record<string, unknown>,
  };
  if (r.truthy('trace.jaeger')) {
    trace.jaeger = {
      endpoint: r.str('trace.jaeger.endpoint', '') || undefined,
      username: r.str('trace.jaeger.username', '') || undefined,
      password: r.str('trace.jaeger.password', '') || undefined,
      agentHost: r.str('trace.jaeger.agent_host', '') || undefined,
      agentPort: (r.raw('trace.jaeger.agent_port') as number | string | undefined) ?? undefined,
    };
  }
  if (r.truthy('trace.otel')) {
    trace.otel = {
      endpoint: r.str('trace.otel.endpoint', ''),
      urlPath: r.str('trace.otel.url_path', ''),
      compression: r.bool('trace.otel.compression', false),
      insecure: r.bool('trace.otel.insecure', false),
      timeout: (r.raw('trace.otel.timeout') as number | string | undefined) || '10',
    };
  }

  return trace;
}

function readTrivy(r: ConfigReader): HarborConfig['trivy'] {
  return {
    ignoreUnfixed: r.bool('trivy.ignore_unfixed', false),
    skipUpdate: r.bool('trivy.skip_update', false),
    skipJavaDbUpdate: r.bool('trivy.skip_java_db_update', false),
    dbRepository: r.str('trivy.db_repository', 'ghcr.io/aquasecurity/trivy-db'),
    javaDbRepository: r.str('trivy.java_db_repository', 'ghcr.io/aquasecurity/trivy-java-db'),
    offlineScan: r.bool('trivy.offline_scan', false),
    securityCheck: r.str('trivy.security_check', 'vuln'),
    insecure: r.bool('trivy.insecure', false),
    timeout: r.str('trivy.timeout', '5m0s'),
    githubToken: r.str('trivy.github_token', ''),
  };
}

/** external_database.<block>, when the block is there: its six keys are all required then */
function notaryDatabase(r: ConfigReader, block: 'notary_signer' | 'notary_server'): NotaryDatabaseConfig | undefined {
  const p = `external_database.${block}`;
  if (!r.truthy(p)) return undefined;
  for (const k of ['host', 'port', 'db_name', 'username', 'password', 'ssl_mode']) r.required(`${p}.${k}`, `add \`${k}:\` under \`${p}:\``);
  return {
    host: r.str(`${p}.host`, ''),
    port: r.int(`${p}.port`, 5432, { min: 1, max: 65535 }),
    dbName: r.str(`${p}.db_name`, ''),
    username: r.str(`${p}.username`, ''),
    password: r.str(`${p}.password`, ''),
    sslMode: r.str(`${p}.ssl_mode`, 'disable'),
  };
}
