/**
 * Every key harbor.yml of any supported line can hold (key-lifetimes.ts says which line reads which), including the blocks Harbor ships commented out. Used to
 * warn about unknown keys with a did-you-mean, and to explain keys that older releases had.
 * `'any'` marks a mapping whose keys are free-form (storage provider settings, trace attributes).
 */
export type KeySchema = { [key: string]: true | 'any' | KeySchema };

const dbConn = { max_idle_conns: true, max_open_conns: true, conn_max_lifetime: true, conn_max_idle_time: true } as const;
const redisIndexes = {
  registry_db_index: true,
  jobservice_db_index: true,
  trivy_db_index: true,
  harbor_db_index: true,
  cache_layer_db_index: true,
} as const;

export const harborYmlSchema: KeySchema = {
  hostname: true,
  http: { port: true },
  https: { port: true, certificate: true, private_key: true, strong_ssl_ciphers: true, ca_file: true },
  ip_family: { ipv4: { enabled: true }, ipv6: { enabled: true } },
  internal_tls: { enabled: true, dir: true, strong_ssl_ciphers: true, verify_client_cert: true },
  external_url: true,
  harbor_admin_password: true,
  database: { password: true, ...dbConn },
  data_volume: true,
  storage_service: {
    ca_bundle: true,
    filesystem: 'any',
    azure: 'any',
    gcs: 'any',
    s3: 'any',
    swift: 'any',
    oss: 'any',
    redirect: { disable: true },
  },
  trivy: {
    ignore_unfixed: true,
    skip_update: true,
    skip_java_db_update: true,
    db_repository: true,
    java_db_repository: true,
    offline_scan: true,
    security_check: true,
    insecure: true,
    timeout: true,
    github_token: true,
  },
  jobservice: { max_job_workers: true, max_job_duration_hours: true, job_loggers: true, logger_sweeper_duration: true },
  notification: { webhook_job_max_retry: true, webhook_job_http_client_timeout: true },
  log: {
    level: true,
    local: { rotate_count: true, rotate_size: true, location: true },
    external_endpoint: { protocol: true, host: true, port: true },
  },
  _version: true,
  external_database: {
    harbor: { host: true, port: true, db_name: true, username: true, password: true, ssl_mode: true, ...dbConn },
    // the 2.8 line only (key-lifetimes.ts): Notary's own databases
    notary_signer: { host: true, port: true, db_name: true, username: true, password: true, ssl_mode: true },
    notary_server: { host: true, port: true, db_name: true, username: true, password: true, ssl_mode: true },
  },
  redis: { ...redisIndexes },
  external_redis: {
    host: true,
    password: true,
    username: true,
    sentinel_master_set: true,
    tlsOptions: { enable: true, rootCA: true },
    idle_timeout_seconds: true,
    ...redisIndexes,
  },
  uaa: { ca_file: true },
  metric: { enabled: true, port: true, path: true },
  trace: {
    enabled: true,
    sample_rate: true,
    namespace: true,
    attributes: 'any',
    jaeger: { endpoint: true, username: true, password: true, agent_host: true, agent_port: true },
    otel: { endpoint: true, url_path: true, compression: true, insecure: true, timeout: true },
  },
  core: { quota_update_provider: true },
  proxy: { http_proxy: true, https_proxy: true, no_proxy: true, components: true },
  upload_purging: { enabled: true, age: true, interval: true, dryrun: true },
  cache: { enabled: true, expire_hours: true },
};

/** Keys that existed in older harbor.yml releases, with what happened to them. */
export const retiredKeys: Record<string, string> = {
  chart: 'ChartMuseum was removed in Harbor v2.8; Helm charts are stored as OCI artifacts now. Remove the chart block.',
  clair: 'Clair was removed in Harbor v2.2; use `--with-trivy` for vulnerability scanning. Remove the clair block.',
  notary: 'Notary was removed in Harbor v2.9. Remove the notary block.',
  'external_database.notary_signer': 'Notary was removed in Harbor v2.9. Remove this block (or render for the 2.8 line: --harbor-version 2.8.6).',
  'external_database.notary_server': 'Notary was removed in Harbor v2.9. Remove this block (or render for the 2.8 line: --harbor-version 2.8.6).',
  'external_database.clair': 'Clair was removed in Harbor v2.2. Remove this block.',
  'external_redis.chartmuseum_db_index': 'ChartMuseum was removed in Harbor v2.8. Remove this key.',
  'storage_service.redirect.disabled': 'renamed to storage_service.redirect.disable in Harbor v2.8.',
  'log.rotate_count': 'moved to log.local.rotate_count in Harbor v1.9.',
  'log.rotate_size': 'moved to log.local.rotate_size in Harbor v1.9.',
  'log.location': 'moved to log.local.location in Harbor v1.9.',
};
