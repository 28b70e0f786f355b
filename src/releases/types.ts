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
  core: {
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
  };
  trivy: {
    /** SCANNER_TRIVY_DB_REPOSITORY and SCANNER_TRIVY_JAVA_DB_REPOSITORY (added in v2.15.0) */
    dbRepositories: boolean;
  };
  jobservice: {
    /** MAX_JOB_DURATION_SECONDS in jobservice/env (v2.13 only) */
    maxJobDurationSeconds: boolean;
  };
}

export function imageRef(release: HarborRelease, service: keyof HarborRelease['images'], prefix?: string): string {
  const name = release.images[service];
  if (!name) throw new Error(`Harbor ${release.version} has no ${service} image`); // a component asked for one its release lacks: a bug
  return `${prefix ?? release.imagePrefix}/${name}:${release.version}`;
}
