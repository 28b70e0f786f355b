/**
 * A target Harbor release: what differs between releases (image tags and names, component set,
 * the few lines each component's files differ by) lives in one file per release under
 * src/releases/, so adding a release means adding a file. Renderers read their part of `output`
 * instead of comparing version numbers.
 */
export interface HarborRelease {
  /** the release tag, e.g. 'v2.15.2' */
  version: string;
  /** harbor.yml schema version this release reads (_version), e.g. '2.15.0' */
  schemaVersion: string;
  /** image repository prefix, 'goharbor' */
  imagePrefix: string;
  /** image name of each compose service (without prefix and tag) */
  images: {
    log: string;
    registry: string;
    registryctl: string;
    postgresql: string;
    core: string;
    portal: string;
    jobservice: string;
    redis: string;
    proxy: string;
    trivyAdapter: string;
    exporter: string;
    /** only on lines with the notary capability */
    notaryServer?: string;
    notarySigner?: string;
  };
  /** optional components this release can run */
  capabilities: {
    /** Notary (Docker Content Trust): the 2.8 line and older; removed in v2.9.0 */
    notary: boolean;
  };
  /** the bundled database image: its PostgreSQL major and the majors it upgrades from on start */
  database?: { postgresMajor: number; upgradesFrom: number[] };
  /** where this release's official prepare output differs, component by component */
  output: ReleaseOutput;
}

/** Facts from make/photon/prepare/templates/ and utils/ at the release's tag. */
export interface ReleaseOutput {
  compose: {
    /** the file's first line `version: '<this>'` (templates/docker_compose/docker-compose.yml.jinja; dropped in v2.12.0); undefined: no version key */
    fileFormatVersion?: string;
  };
  proxy: {
    /**
     * names NO_PROXY holds besides those of the services every line has (g.py INTERNAL_NO_PROXY_DN):
     * v2.8.6 lists notary-server and notary-signer, with or without --with-notary
     */
    internalNoProxyExtra: readonly string[];
  };
  core: {
    /** WITH_NOTARY=True|False and NOTARY_URL=http://notary-server:4443, written with or without --with-notary (templates/core/env.jinja; removed in v2.9.0) */
    notaryEnv: boolean;
    /** PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE (templates/core/env.jinja) */
    proxyCacheRegistryTypes: readonly string[];
    /** REPLICATION_ADAPTER_WHITELIST; undefined: the line is not written (added in v2.14.0) */
    replicationAdapters?: readonly string[];
    /** SYNC_QUOTA=true after _REDIS_URL_HARBOR (removed in v2.15.0) */
    syncQuota: boolean;
    /** QUOTA_UPDATE_PROVIDER (core.quota_update_provider; added in v2.9.0) */
    quotaUpdateProvider: boolean;
  };
  registry: {
    /** the redis block's username: line (added in v2.15.0) */
    redisUsername: boolean;
    /** the redis block's enableTLS: line (templates/registry/config.yml.jinja; absent at v2.8.6, whose utils/registry.py refuses rediss URLs) */
    redisEnableTls: boolean;
  };
  trivy: {
    /** SCANNER_TRIVY_DB_REPOSITORY and SCANNER_TRIVY_JAVA_DB_REPOSITORY (added in v2.15.0) */
    dbRepositories: boolean;
    /** SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE (templates/trivy-adapter/env.jinja; absent at v2.8.6) */
    skipJavaDbUpdate: boolean;
  };
  jobservice: {
    /** MAX_JOB_DURATION_SECONDS in jobservice/env (v2.13 only) */
    maxJobDurationSeconds: boolean;
    /** LOG_LEVEL in jobservice/env (templates/jobservice/env.jinja; absent at v2.8.6) */
    logLevelEnv: boolean;
    /**
     * job_loggers from jobservice.job_loggers (templates/jobservice/config.yml.jinja loops over it);
     * false: the fixed STD_OUTPUT + FILE pair of v2.8.6's template
     */
    configurableLoggers: boolean;
    /** reaper.max_update_hours from jobservice.max_job_duration_hours; false: the fixed 24 of v2.8.6's template */
    maxUpdateHoursFromConfig: boolean;
  };
  /** the TLS listeners of the proxy (templates/nginx/nginx.https.conf.jinja) and of the portal with internal TLS (templates/portal/nginx.conf.jinja) */
  tls: {
    /** ssl_protocols: 'TLSv1.2' at v2.8.6, 'TLSv1.2 TLSv1.3' later */
    protocols: string;
    /** listen lines per ip_family (ipv4/ipv6); false: `listen 8443 ssl;` only (v2.8.6) */
    ipFamily: boolean;
    /** the strong_ssl_ciphers switch; false: the fixed compatible cipher list (v2.8.6) */
    strongCiphers: boolean;
  };
  nginx: {
    /** proxy_send_timeout/proxy_read_timeout 900 in the http server's `location /c/` (templates/nginx/nginx.http.conf.jinja; absent at v2.8.6) */
    httpConsoleTimeouts: boolean;
  };
  trust: {
    /** external_redis.tlsOptions.rootCA copied as redis_tls_ca.crt (utils/cert.py prepare_trust_ca; absent at v2.8.6) */
    redisTlsCa: boolean;
  };
}

export function imageRef(release: HarborRelease, service: keyof HarborRelease['images'], prefix?: string): string {
  const name = release.images[service];
  if (!name) throw new Error(`Harbor ${release.version} has no ${service} image`); // a component asked for one its release lacks: a bug
  return `${prefix ?? release.imagePrefix}/${name}:${release.version}`;
}
