/**
 * The harbor.yml a legacy harbor.cfg is laid on top of: every key that Harbor v2.15.2's
 * harbor.yml.tmpl has active, with its value (goharbor/harbor make/harbor.yml.tmpl at v2.15.2),
 * as the YAML parser would give them (an empty `http_proxy:` is null). Not included: `hostname`
 * (a cfg must give one) and the `https` block (only `ui_url_protocol = https` creates it).
 *
 * A fresh object on every call, so callers may change it freely.
 */
export const TARGET_SCHEMA_VERSION = '2.15.0';

export function harborYmlDefaults(): Record<string, unknown> {
  return {
    http: { port: 80 },
    harbor_admin_password: 'Harbor12345',
    database: {
      password: 'root123',
      max_idle_conns: 100,
      max_open_conns: 900,
      conn_max_lifetime: '5m',
      conn_max_idle_time: 0,
    },
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
    jobservice: {
      max_job_workers: 10,
      max_job_duration_hours: 24,
      job_loggers: ['STD_OUTPUT', 'FILE'],
      logger_sweeper_duration: 1,
    },
    notification: {
      webhook_job_max_retry: 3,
      webhook_job_http_client_timeout: 3,
    },
    log: {
      level: 'info',
      local: { rotate_count: 50, rotate_size: '200M', location: '/var/log/harbor' },
    },
    _version: TARGET_SCHEMA_VERSION,
    proxy: {
      http_proxy: null,
      https_proxy: null,
      no_proxy: null,
      components: ['core', 'jobservice', 'trivy'],
    },
    upload_purging: { enabled: true, age: '168h', interval: '24h', dryrun: false },
    cache: { enabled: false, expire_hours: 24 },
  };
}

/** Top-level key order of harbor.yml.tmpl (commented blocks at their place), for a familiar layout. */
export const HARBOR_YML_KEY_ORDER: readonly string[] = [
  'hostname',
  'http',
  'https',
  'internal_tls',
  'ip_family',
  'harbor_admin_password',
  'database',
  'data_volume',
  'storage_service',
  'trivy',
  'jobservice',
  'notification',
  'log',
  '_version',
  'external_database',
  'redis',
  'external_redis',
  'uaa',
  'external_url',
  'proxy',
  'metric',
  'trace',
  'upload_purging',
  'cache',
  'core',
];
