/**
 * The one typed, validated model of a Harbor installation. It is built from harbor.yml or from a
 * legacy harbor.cfg (src/config/load.ts) and is the only input of rendering besides secrets and the
 * target release. Values here already carry Harbor's defaults and derived values (public URL,
 * internal URLs, redis URLs, merged no_proxy) so that component renderers stay simple and pure.
 *
 * Key names follow harbor.yml (camelCased); comments name the harbor.yml key.
 */

export type Protocol = 'http' | 'https';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'fatal';
/** The storage drivers Harbor configures (storage_service.<provider>); the one list of them. */
export const STORAGE_PROVIDERS = ['filesystem', 'azure', 'gcs', 's3', 'swift', 'oss'] as const;
export type StorageProvider = (typeof STORAGE_PROVIDERS)[number];
export type ProxyComponent = 'core' | 'jobservice' | 'trivy' | 'registry';

export interface HttpsConfig {
  /** https.port, default 443 */
  port: number;
  /** https.certificate: host path of the server certificate (PEM, may hold the chain) */
  certificate: string;
  /** https.private_key: host path of the key */
  privateKey: string;
  /** https.ca_file (regctl extension): CA offered on the portal's "Download CA" */
  caFile?: string;
}

export interface DatabaseConfig {
  external: boolean;
  host: string; // 'postgresql' for the bundled DB
  port: number; // 5432
  dbName: string; // 'registry'
  username: string; // 'postgres'
  password: string;
  sslMode: string; // 'disable'
  maxIdleConns: number;
  maxOpenConns: number;
  connMaxLifetime: string;
  connMaxIdleTime: string;
}

/** A PostgreSQL database reached over the network: what each external_database.* block holds. */
export interface DatabaseEndpoint {
  host: string;
  port: number;
  dbName: string;
  username: string;
  password: string;
  sslMode: string;
}

/** external_database.notary_signer / notary_server: one of Notary's databases (the 2.8 line) */
export type NotaryDatabaseConfig = DatabaseEndpoint;

export interface RedisConfig {
  /** external_redis present: the bundled redis service is dropped */
  external: boolean;
  urls: {
    core: string;
    jobservice: string;
    registry: string;
    trivy: string;
    /** only when harbor_db_index is set */
    harbor?: string;
    /** only when cache_layer_db_index is set */
    cacheLayer?: string;
  };
  /** external_redis.tlsOptions.rootCA when TLS is enabled: copied into the trust dir */
  tlsRootCA?: string;
}

export interface StorageConfig {
  provider: StorageProvider;
  /** the provider's sub-keys as written by the user (gcs keyfile still a host path here) */
  providerConfig: Record<string, unknown>;
  /** storage_service.ca_bundle host path, '' when unset */
  caBundle: string;
  /** storage_service.redirect.disable; undefined when the redirect block is absent */
  redirectDisable?: boolean;
}

export interface LogConfig {
  level: LogLevel;
  local: { rotateCount: number; rotateSize: string; location: string };
  externalEndpoint?: { protocol: 'tcp' | 'udp'; host: string; port: number };
}

export interface ProxyConfig {
  httpProxy: string;
  httpsProxy: string;
  /** internal names merged with the user's entries, comma-joined, sorted for stable output */
  noProxy: string;
  components: string[];
}

export interface TraceConfig {
  enabled: boolean;
  sampleRate: number;
  namespace: string;
  attributes: Record<string, unknown>;
  jaeger?: { endpoint?: string; username?: string; password?: string; agentHost?: string; agentPort?: number | string };
  otel?: { endpoint: string; urlPath: string; compression: boolean; insecure: boolean; timeout: number | string };
}

export interface InternalUrls {
  portal: string;
  registry: string;
  registryController: string;
  core: string;
  coreLocal: string;
  tokenService: string;
  jobservice: string;
  trivyAdapter: string;
}

export interface HarborConfig {
  /** where the model came from; used in messages only */
  source: { file: string; format: 'yml' | 'cfg' };
  /** host paths the config gave relative to its own file (resolved from there, never under --root) */
  configRelativePaths: string[];
  /** _version of harbor.yml (schema), e.g. '2.15.0' */
  schemaVersion: string;

  hostname: string;
  protocol: Protocol;
  http: { port: number };
  https?: HttpsConfig;
  /** https.strong_ssl_ciphers OR internal_tls.strong_ssl_ciphers */
  strongSslCiphers: boolean;
  ipFamily: { ipv4: boolean; ipv6: boolean };
  internalTls: { enabled: boolean; dir: string };
  /** external_url as given, '' when unset */
  externalUrl: string;
  /** external_url, else protocol://hostname[:port] (port omitted when default) */
  publicUrl: string;
  urls: InternalUrls;

  harborAdminPassword: string;
  database: DatabaseConfig;
  /** the notary blocks of external_database, where given (read for --with-notary on the 2.8 line) */
  notaryDatabases?: { signer?: NotaryDatabaseConfig; server?: NotaryDatabaseConfig };
  dataVolume: string;
  storage: StorageConfig;

  trivy: {
    ignoreUnfixed: boolean;
    skipUpdate: boolean;
    skipJavaDbUpdate: boolean;
    dbRepository: string;
    javaDbRepository: string;
    offlineScan: boolean;
    securityCheck: string;
    insecure: boolean;
    timeout: string;
    githubToken: string;
  };
  jobservice: {
    maxJobWorkers: number;
    maxJobDurationHours: number;
    jobLoggers: string[];
    loggerSweeperDuration: number;
  };
  notification: { webhookJobMaxRetry: number; webhookJobHttpClientTimeout: number };
  log: LogConfig;
  proxy: ProxyConfig;
  uploadPurging: { enabled: boolean; age: string; interval: string; dryrun: boolean };
  cache: { enabled: boolean; expireHours: number };
  metric: { enabled: boolean; port: number; path: string };
  trace: TraceConfig;
  core: { quotaUpdateProvider: 'db' | 'redis' };
  redis: RedisConfig;
  /** uaa.ca_file host path, '' when unset */
  uaaCaFile: string;
}

/** Options of one prepare run that are not part of harbor.yml. */
export interface PrepareOptions {
  withTrivy: boolean;
  /** --with-notary: only releases whose description has the notary capability (the 2.8 line) */
  withNotary?: boolean;
  /** image repository prefix instead of the release's 'goharbor' (offline mirrors, test image sets) */
  imagePrefix?: string;
  /** real path of the CA certificate copied to data_volume/ca_download/ca.crt ("Download CA") */
  caDownloadSource?: string;
}
