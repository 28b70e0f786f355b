/**
 * The Harbor lines an upgrade can hop through: each line's newest patch (the 2.15 line twice,
 * since v2.15.2 moved its database from PostgreSQL 15 to 18), the PostgreSQL major its harbor-db
 * image runs and the one major it upgrades from on first start, and whether this regctl renders
 * it (a release in src/releases/). Facts: goharbor/harbor tags, and make/photon/db/Dockerfile at
 * each tag, `ENTRYPOINT ["/docker-entrypoint.sh", "<old>", "<new>"]` ("" old: no upgrade).
 * Harbor supports upgrades of at most two minor versions at a time (n -> n+2).
 */
import { releases } from '../releases/index.js';

export interface HarborLine {
  /** '2.10.3': the newest patch of its line, the version a hop installs */
  version: string;
  /** PostgreSQL major of the bundled harbor-db image */
  postgresMajor: number;
  /** the majors that image upgrades from on first start (pg_upgrade, then the old pgNN is removed) */
  upgradesFrom: readonly number[];
}

/** oldest first */
export const harborLines: readonly HarborLine[] = [
  { version: '2.8.6', postgresMajor: 13, upgradesFrom: [] }, // ["", "13"]
  { version: '2.9.5', postgresMajor: 14, upgradesFrom: [13] }, // ["13", "14"]
  { version: '2.10.3', postgresMajor: 14, upgradesFrom: [13] },
  { version: '2.11.2', postgresMajor: 15, upgradesFrom: [14] }, // ["14", "15"]
  { version: '2.12.4', postgresMajor: 15, upgradesFrom: [14] },
  { version: '2.13.5', postgresMajor: 15, upgradesFrom: [14] },
  { version: '2.14.4', postgresMajor: 15, upgradesFrom: [14] },
  { version: '2.15.1', postgresMajor: 15, upgradesFrom: [14] },
  { version: '2.15.2', postgresMajor: 18, upgradesFrom: [15] }, // ["15", "18"]
];

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** '2.15.2' or 'v2.15.2'; undefined when it is not X.Y.Z */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export const versionText = (v: Version): string => `${v.major}.${v.minor}.${v.patch}`;

/** regctl can render this line's hop target (its release is in src/releases/) */
export function renderable(version: string): boolean {
  return releases.some((r) => r.version === `v${version}`);
}

export function findLine(version: string): HarborLine | undefined {
  const v = parseVersion(version);
  return v ? harborLines.find((l) => l.version === versionText(v)) : undefined;
}
