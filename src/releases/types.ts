/**
 * A target Harbor release: what differs between releases (image tags and names, component set)
 * lives in one file per release under src/releases/, so adding a release means adding a file.
 */
export interface HarborRelease {
  /** the release tag, e.g. 'v2.15.2' */
  version: string;
  /** harbor.yml schema version this release reads (_version) */
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
  };
  /** the bundled database image: its PostgreSQL major and the majors it upgrades from on start */
  database?: { postgresMajor: number; upgradesFrom: number[] };
}

export function imageRef(release: HarborRelease, service: keyof HarborRelease['images'], prefix?: string): string {
  return `${prefix ?? release.imagePrefix}/${release.images[service]}:${release.version}`;
}
