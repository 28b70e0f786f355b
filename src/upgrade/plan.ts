/**
 * The hop plan from the installed Harbor to a target: the fewest hops, each at most two minor
 * versions forward (Harbor's supported upgrade step), each to a line's newest patch, where every
 * hop's harbor-db can start on what the previous one left (the same PostgreSQL major, or the one
 * major it upgrades from). A harbor-db that finds no cluster it can upgrade from initialises an
 * empty pgNN and Harbor starts empty, so a hop that cannot start on the data is never planned.
 * Pure: the caller reads the installation record and the database layout.
 */
import { compareVersions, harborLines, parseVersion, renderable, versionText, type HarborLine, type Version } from './lines.js';
import type { DatabaseLayout } from '../installation/database-layout.js';
import { lineOfVersion } from '../releases/index.js';

/** What data_volume/database holds, as planning needs it. */
export type DatabaseState =
  | { kind: 'external' }
  | { kind: 'empty' }
  | { kind: 'cluster'; major: number }
  /** database/PG_VERSION: PostgreSQL 9.6, the layout before v2.3 */
  | { kind: 'legacy'; written: string }
  | { kind: 'multiple'; majors: number[] };

export function databaseState(layout: DatabaseLayout | 'external'): DatabaseState {
  if (layout === 'external') return { kind: 'external' };
  if (layout.legacy) return { kind: 'legacy', written: layout.legacy.written };
  if (layout.clusters.length > 1) return { kind: 'multiple', majors: layout.clusters.map((c) => c.major) };
  const [only] = layout.clusters;
  // the image goes by the directory name (pgNN), not by what PG_VERSION says
  return only ? { kind: 'cluster', major: only.major } : { kind: 'empty' };
}

export interface Hop {
  version: string;
  /** PostgreSQL major this hop's harbor-db runs; null with an external database */
  postgres: number | null;
  /** regctl can render this release (src/releases/); false: the hop needs Harbor's own prepare or a newer regctl */
  renderable: boolean;
}

export interface Blocked {
  code: string;
  reason: string;
  fix: string;
}

export interface UpgradePlan {
  from: string;
  to: string;
  hops: Hop[];
  blocked: Blocked | null;
}

/** blocks caused by what was asked (exit 2), not by the installation's data (exit 1) */
export const INPUT_BLOCKS: ReadonlySet<string> = new Set(['E_UPGRADE_UNKNOWN_TARGET', 'E_UPGRADE_SAME_VERSION', 'E_UPGRADE_DOWNGRADE']);

const MAX_MINORS = 2;

/** a hop from `at` to `line` stays within Harbor's n -> n+2 step */
function withinStep(at: Version, line: Version): boolean {
  return line.major === at.major && compareVersions(line, at) > 0 && line.minor - at.minor <= MAX_MINORS;
}

/** `line`'s harbor-db starts on a cluster of `pg` (undefined: no constraint, external database) */
export function startsOn(line: HarborLine, pg: number | undefined): boolean {
  return pg === undefined || line.postgresMajor === pg || line.upgradesFrom.includes(pg);
}

function blockedPlan(from: string, to: string, blocked: Blocked): UpgradePlan {
  return { from, to, hops: [], blocked };
}

const knownTargets = () => harborLines.map((l) => l.version).join(', ');

export interface PlanInput {
  /** the installed release, '2.8.6' */
  from: string;
  /** --to */
  to: string;
  database: DatabaseState;
  /** PostgreSQL major the installed release runs, when known: where an empty data_volume will start */
  installedPostgres?: number;
}

export function planUpgrade(input: PlanInput): UpgradePlan {
  const fromV = parseVersion(input.from);
  const toV = parseVersion(input.to);
  const from = fromV ? versionText(fromV) : input.from;
  const to = toV ? versionText(toV) : input.to;
  const target = toV && harborLines.find((l) => l.version === to);
  if (!fromV || !toV || !target) {
    return blockedPlan(from, to, {
      code: 'E_UPGRADE_UNKNOWN_TARGET',
      reason: `Harbor ${to} is not a release regctl can plan an upgrade to`,
      fix: `choose one of: ${knownTargets()} (each line's newest patch)`,
    });
  }
  const order = compareVersions(toV, fromV);
  if (order === 0) {
    return blockedPlan(from, to, { code: 'E_UPGRADE_SAME_VERSION', reason: `the installation already runs Harbor ${from}`, fix: 'nothing to upgrade; choose a newer --to' });
  }
  if (order < 0) {
    return blockedPlan(from, to, {
      code: 'E_UPGRADE_DOWNGRADE',
      reason: `Harbor ${to} is older than the installed ${from}: Harbor has no downgrade (its database schema and PostgreSQL cluster only move forward)`,
      fix: 'to go back, restore the backup of data_volume and the install dir taken before the upgrade',
    });
  }

  const db = input.database;
  let startPg: number | undefined;
  switch (db.kind) {
    case 'external':
      startPg = undefined;
      break;
    case 'legacy':
      return blockedPlan(from, to, {
        code: 'E_UPGRADE_PG96_LAYOUT',
        reason: `data_volume/database/PG_VERSION holds a PostgreSQL ${db.written} cluster (the layout of Harbor before 2.3); every harbor-db from 2.7 refuses to start on it`,
        fix: 'upgrade it with Harbor 2.3 to 2.6 first (their harbor-db moves the 9.6 cluster to pg13), then plan again',
      });
    case 'multiple':
      return blockedPlan(from, to, {
        code: 'E_UPGRADE_PG_CLUSTERS',
        reason: `data_volume/database holds clusters of PostgreSQL ${db.majors.join(' and ')} (pg${db.majors.join(', pg')}): a harbor-db removes the old one after a successful upgrade, so an upgrade was interrupted or a copy was left there`,
        fix: `find which one the installed Harbor ${from} runs${input.installedPostgres ? ` (it runs PostgreSQL ${input.installedPostgres})` : ''}, back up data_volume, move the other out of data_volume/database, then plan again`,
      });
    case 'cluster':
      startPg = db.major;
      break;
    case 'empty':
      startPg = input.installedPostgres;
      break;
  }

  // breadth-first over the table: the fewest hops; the farthest hop is tried first, so among
  // equally short plans the one that moves furthest early wins
  const candidates = harborLines.filter((l) => compareVersions(parseVersion(l.version)!, toV) <= 0);
  interface Node { at: Version; pg: number | undefined; path: HarborLine[] }
  let frontier: Node[] = [{ at: fromV, pg: startPg, path: [] }];
  const seen = new Set<string>();
  while (frontier.length) {
    const next: Node[] = [];
    for (const node of frontier) {
      for (const line of [...candidates].reverse()) {
        const v = parseVersion(line.version)!;
        if (seen.has(line.version) || !withinStep(node.at, v) || !startsOn(line, node.pg)) continue;
        seen.add(line.version);
        const path = [...node.path, line];
        if (line === target) {
          const hops = path.map((l) => ({ version: l.version, postgres: db.kind === 'external' ? null : l.postgresMajor, renderable: renderable(l.version) }));
          return { from, to, hops, blocked: null };
        }
        next.push({ at: v, pg: line.postgresMajor, path });
      }
    }
    frontier = next;
  }
  return blockedPlan(from, to, noPath(from, to, fromV, startPg, input.installedPostgres));
}

function noPath(from: string, to: string, fromV: Version, pg: number | undefined, installedPg: number | undefined): Blocked {
  const firstSteps = harborLines.filter((l) => withinStep(fromV, parseVersion(l.version)!));
  if (firstSteps.length === 0) {
    return {
      code: 'E_UPGRADE_NO_PATH',
      reason: `no Harbor line regctl knows is within two minor versions of ${from} (known: ${knownTargets()})`,
      fix: `upgrade with Harbor's own releases to ${lineOfVersion(harborLines[0]!.version)} or later first, then plan again`,
    };
  }
  const needs = [...new Set(firstSteps.map((l) => `${l.version} runs PostgreSQL ${l.postgresMajor}${l.upgradesFrom.length ? ` and upgrades from ${l.upgradesFrom.join(', ')}` : ' and upgrades from none'}`))];
  const startHint =
    pg !== undefined && installedPg !== undefined && pg !== installedPg
      ? `the installed Harbor ${from} runs PostgreSQL ${installedPg} but data_volume holds ${pg}: start the installed Harbor once (its harbor-db upgrades the cluster if it can), or check that data_volume belongs to this install; then plan again`
      : 'check that data_volume belongs to this install; data on another PostgreSQL major needs the Harbor release that runs it first';
  return {
    code: 'E_UPGRADE_NO_PATH',
    reason: `no hop from ${from} towards ${to} can start on the PostgreSQL ${pg} cluster in data_volume (a harbor-db that cannot upgrade it initialises an empty database and Harbor starts empty): ${needs.join('; ')}`,
    fix: startHint,
  };
}
