/**
 * The hop planner over the Harbor lines table: invariants over every pair of the table's versions,
 * the plans the issue names, and every data_volume layout.
 */
import { describe, expect, it } from 'vitest';
import { harborLines, parseVersion, findLine } from '../../src/upgrade/lines.js';
import { planUpgrade, startsOn, type DatabaseState } from '../../src/upgrade/plan.js';

const versions = harborLines.map((l) => l.version);
const cluster = (major: number): DatabaseState => ({ kind: 'cluster', major });
const pgOf = (v: string) => findLine(v)!.postgresMajor;
const hopsOf = (from: string, to: string, database: DatabaseState = cluster(pgOf(from))) => planUpgrade({ from, to, database, installedPostgres: findLine(from)?.postgresMajor }).hops.map((h) => h.version);

describe('upgrade plan: every pair of the table', () => {
  const pairs = versions.flatMap((from, i) => versions.slice(i + 1).map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s: hops of at most two minors, each starting on the previous cluster, ending at the target', (from, to) => {
    const plan = planUpgrade({ from, to, database: cluster(pgOf(from)), installedPostgres: pgOf(from) });
    expect(plan.blocked).toBeNull();
    expect(plan.hops.at(-1)!.version).toBe(to);
    let at = parseVersion(from)!;
    let pg = pgOf(from);
    for (const hop of plan.hops) {
      const v = parseVersion(hop.version)!;
      expect(v.major).toBe(at.major);
      expect(v.minor - at.minor).toBeLessThanOrEqual(2);
      expect(v.minor * 1000 + v.patch).toBeGreaterThan(at.minor * 1000 + at.patch);
      const line = findLine(hop.version)!;
      expect(startsOn(line, pg), `${hop.version} cannot start on PostgreSQL ${pg}`).toBe(true);
      expect(hop.postgres).toBe(line.postgresMajor);
      at = v;
      pg = line.postgresMajor;
    }
    // the fewest hops: no plan is shorter than the minor distance allows
    expect(plan.hops.length).toBeGreaterThanOrEqual(Math.ceil((parseVersion(to)!.minor - parseVersion(from)!.minor) / 2));
  });

  it.each(pairs)('%s -> %s backwards is a downgrade (exit 2 kind)', (from, to) => {
    expect(planUpgrade({ from: to, to: from, database: cluster(pgOf(to)) }).blocked?.code).toBe('E_UPGRADE_DOWNGRADE');
  });
});

describe('upgrade plan: the plans the issue names', () => {
  it('2.8.6 -> 2.15.2 is 2.10.3, 2.12.4, 2.14.4, 2.15.2 (PostgreSQL 13 -> 14 -> 15 -> 15 -> 18)', () => {
    const plan = planUpgrade({ from: 'v2.8.6', to: '2.15.2', database: cluster(13), installedPostgres: 13 });
    expect(plan).toEqual({
      from: '2.8.6',
      to: '2.15.2',
      blocked: null,
      hops: [
        { version: '2.10.3', postgres: 14, renderable: true },
        { version: '2.12.4', postgres: 15, renderable: true },
        { version: '2.14.4', postgres: 15, renderable: true },
        { version: '2.15.2', postgres: 18, renderable: true },
      ],
    });
  });

  it('2.15.1 -> 2.15.2 is one hop over PostgreSQL 15 -> 18', () => {
    expect(planUpgrade({ from: '2.15.1', to: '2.15.2', database: cluster(15) }).hops).toEqual([{ version: '2.15.2', postgres: 18, renderable: true }]);
  });

  it('2.13.5 -> 2.15.2 is one hop; 2.13.5 -> 2.15.1 too', () => {
    expect(hopsOf('2.13.5', '2.15.2')).toEqual(['2.15.2']);
    expect(hopsOf('2.13.5', '2.15.1')).toEqual(['2.15.1']);
  });

  it('a release older than the table but within two minors of 2.8 (2.6.x on PostgreSQL 13) plans from there', () => {
    expect(hopsOf('2.6.2', '2.10.3', cluster(13))).toEqual(['2.8.6', '2.10.3']);
  });

  it('unknown target (not a line newest patch, or not a version) and the same version are blocked', () => {
    expect(planUpgrade({ from: '2.8.6', to: '2.13.4', database: cluster(13) }).blocked?.code).toBe('E_UPGRADE_UNKNOWN_TARGET');
    expect(planUpgrade({ from: '2.8.6', to: '3.0.0', database: cluster(13) }).blocked?.code).toBe('E_UPGRADE_UNKNOWN_TARGET');
    const same = planUpgrade({ from: 'v2.13.5', to: '2.13.5', database: cluster(15) });
    expect(same.blocked?.code).toBe('E_UPGRADE_SAME_VERSION');
    expect(same.hops).toEqual([]);
  });

  it('a release too old for any line in the table is blocked with what to do', () => {
    const plan = planUpgrade({ from: '2.4.3', to: '2.15.2', database: cluster(13) });
    expect(plan.blocked?.code).toBe('E_UPGRADE_NO_PATH');
    expect(plan.blocked?.fix).toContain('2.8');
  });
});

describe('upgrade plan: data_volume layouts', () => {
  it('the 9.6 layout (database/PG_VERSION) is blocked: every later harbor-db refuses it', () => {
    const plan = planUpgrade({ from: '2.8.6', to: '2.10.3', database: { kind: 'legacy', written: '9.6' } });
    expect(plan.blocked).toMatchObject({ code: 'E_UPGRADE_PG96_LAYOUT' });
    expect(plan.blocked!.reason).toContain('9.6');
    expect(plan.hops).toEqual([]);
  });

  it('two pgNN clusters are blocked (an interrupted upgrade or a leftover copy)', () => {
    const plan = planUpgrade({ from: '2.10.3', to: '2.12.4', database: { kind: 'multiple', majors: [14, 13] }, installedPostgres: 14 });
    expect(plan.blocked).toMatchObject({ code: 'E_UPGRADE_PG_CLUSTERS' });
    expect(plan.blocked!.reason).toContain('pg14, pg13');
    expect(plan.blocked!.fix).toContain('PostgreSQL 14');
  });

  it('a cluster no hop can start on is blocked, not planned into an empty database', () => {
    // recorded 2.13.5 (PostgreSQL 15) but data_volume holds pg13: 2.14/2.15 need 15 or 14
    const plan = planUpgrade({ from: '2.13.5', to: '2.15.2', database: cluster(13), installedPostgres: 15 });
    expect(plan.blocked?.code).toBe('E_UPGRADE_NO_PATH');
    expect(plan.blocked!.reason).toContain('PostgreSQL 13');
    expect(plan.blocked!.reason).toContain('empty');
    expect(plan.blocked!.fix).toContain('runs PostgreSQL 15 but data_volume holds 13');
    // 2.8.6 data on PostgreSQL 18 (from a newer Harbor): nothing starts on it
    expect(planUpgrade({ from: '2.8.6', to: '2.10.3', database: cluster(18), installedPostgres: 13 }).blocked?.code).toBe('E_UPGRADE_NO_PATH');
  });

  it('2.14.4 data still on PostgreSQL 14 (never started since 2.10): 2.15.1 can start on it, 2.15.2 only through it', () => {
    expect(hopsOf('2.14.4', '2.15.2', cluster(14))).toEqual(['2.15.1', '2.15.2']);
  });

  it('an empty data_volume plans from the cluster the installed release creates', () => {
    expect(hopsOf('2.8.6', '2.15.2', { kind: 'empty' })).toEqual(['2.10.3', '2.12.4', '2.14.4', '2.15.2']);
    expect(planUpgrade({ from: '2.13.5', to: '2.15.2', database: { kind: 'empty' }, installedPostgres: 15 }).blocked).toBeNull();
  });

  it('an external database puts no PostgreSQL constraint on the hops (postgres: null)', () => {
    const plan = planUpgrade({ from: '2.8.6', to: '2.15.2', database: { kind: 'external' } });
    expect(plan.blocked).toBeNull();
    expect(plan.hops.map((h) => h.version)).toEqual(['2.10.3', '2.12.4', '2.14.4', '2.15.2']);
    expect(plan.hops.every((h) => h.postgres === null)).toBe(true);
    // the same cluster-bound data would be blocked: external skips the check
    expect(planUpgrade({ from: '2.13.5', to: '2.15.2', database: { kind: 'external' } }).hops.map((h) => h.version)).toEqual(['2.15.2']);
  });
});

describe('the lines table', () => {
  it('is oldest first, one newest patch per line (2.15 twice: 2.15.2 moved to PostgreSQL 18), each upgrading from at most one major', () => {
    const sorted = [...harborLines].sort((a, b) => {
      const [x, y] = [parseVersion(a.version)!, parseVersion(b.version)!];
      return x.minor - y.minor || x.patch - y.patch;
    });
    expect(sorted).toEqual(harborLines);
    for (const l of harborLines) expect(l.upgradesFrom.length).toBeLessThanOrEqual(1);
    expect(versions).toEqual(['2.8.6', '2.9.5', '2.10.3', '2.11.2', '2.12.4', '2.13.5', '2.14.4', '2.15.1', '2.15.2']);
  });
});
