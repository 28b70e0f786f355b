/**
 * An executed upgrade hop 2.13.5 → 2.14.4 (both lines run PostgreSQL 15) on the real engine with
 * the local image set tagged for both releases. The core STAND-IN creates no Harbor schema, so
 * the test creates the counted tables and golang-migrate's schema_migrations itself (psql in
 * harbor-db). A failure is injected mid-hop: data_volume/ca_download/regctl-test-dirty-schema
 * holding "v2.14.4" makes the 2.14.4 core stand-in set schema_migrations.dirty and exit, as real
 * core does on a failed migration (test/images/standins/core.mjs).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, jsonResult } from './helpers/cli.js';
import { makeE2eWorkspace, containerStates, projectOf, type E2eWorkspace, removeE2eWorkspace } from './helpers/workspace.js';
import { ensureImageSet, TEST_IMAGE_PREFIX } from '../images/image-set.js';
import { findRelease } from '../../src/releases/index.js';
import { tableChecksumSql } from '../helpers/harbor-tables.js';

const PSQL = 'PGPASSWORD="$POSTGRES_PASSWORD" exec "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d registry';
const psql = (sql: string) => execa('docker', ['exec', '-i', '-u', 'postgres', 'harbor-db', 'sh', '-c', PSQL], { input: sql });

const SCHEMA = `
CREATE TABLE harbor_user (user_id serial PRIMARY KEY, username varchar(255));
CREATE TABLE project (project_id serial PRIMARY KEY, name varchar(255));
CREATE TABLE repository (repository_id serial PRIMARY KEY, name varchar(255));
CREATE TABLE artifact (id serial PRIMARY KEY, digest varchar(255));
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (130, false);
INSERT INTO harbor_user (username) SELECT 'u' || i FROM generate_series(1, 7) i;
INSERT INTO project (name) SELECT 'p' || i FROM generate_series(1, 11) i;
INSERT INTO repository (name) SELECT 'r' || i FROM generate_series(1, 13) i;
INSERT INTO artifact (digest) SELECT md5(i::text) FROM generate_series(1, 17) i;
`;
const TABLES = ['harbor_user', 'project', 'repository', 'artifact', 'schema_migrations'];
const checksums = async () =>
  (await psql(tableChecksumSql(TABLES))).stdout;

describeWithDocker('e2e: an executed upgrade hop 2.13.5 -> 2.14.4 (real engine, real PostgreSQL)', () => {
  let ws: E2eWorkspace;
  let release: () => Promise<void> = async () => {};
  let before = '';
  const base = () => ['--config', ws.configPath];
  const record = async () => JSON.parse(await fs.readFile(path.join(ws.dir, 'common/config/regctl/installation.json'), 'utf8')).harborVersion;
  // a hop whose core never comes up waits out --timeout: short where the failure is the point
  const upgrade = (timeout: number, ...extra: string[]) => regctl(['upgrade', '--to', '2.14.4', '--yes', ...base(), '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', String(timeout), '--json', ...extra]);
  const allHealthy = async () => {
    const states = await containerStates(projectOf(ws));
    expect(Object.keys(states).length).toBeGreaterThan(5);
    for (const [name, st] of Object.entries(states)) expect(`${name} ${st}`).toBe(`${name} running healthy`);
  };

  beforeAll(async () => {
    for (const v of ['2.13.5', '2.14.4']) await ensureImageSet({ release: findRelease(v)!, log: (l) => console.log(`[image set ${v}] ${l}`) });
    release = await lockHarborNames();
    // a 2.13 harbor.yml: without the trivy DB repositories that came with 2.15
    ws = await makeE2eWorkspace('regctl-e2e-upgrade', { 'trivy.db_repository': undefined, 'trivy.java_db_repository': undefined, _version: '2.13.0' });
    const r = await regctl(['install', ...base(), '--harbor-version', '2.13.5', '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180']);
    if (r.code !== 0) throw new Error(`install failed: ${r.stdout}${r.stderr}`);
    await psql(SCHEMA);
    before = await checksums();
  }, 600_000);

  afterAll(async () => {
    await removeE2eWorkspace(ws);
    await release();
  });

  it('a hop whose core leaves the schema dirty stops, leaves the stack down and prints the restore command, which brings 2.13.5 back with the same rows', async () => {
    await fs.writeFile(path.join(ws.dataDir, 'ca_download/regctl-test-dirty-schema'), 'v2.14.4\n');
    const r = await upgrade(30);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const env = jsonResult(r.stdout);
    expect(env.error?.code).toBe('E_UPGRADE_FAILED');
    const failure = env.data.failure as { backup: string; restoreCommand: string; rolledBack: boolean };
    expect(failure.rolledBack).toBe(false);
    expect(env.next).toEqual([failure.restoreCommand]);
    expect(failure.restoreCommand).toBe(`regctl restore --from ${failure.backup} --config ${ws.configPath} --yes --other-line`);
    const running = Object.values(await containerStates(projectOf(ws))).filter((s) => s.startsWith('running'));
    expect(running).toEqual([]);

    const restore = await regctl([...failure.restoreCommand.split(' ').slice(1), '--json']);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(await record()).toBe('v2.13.5');
    expect(await checksums()).toBe(before);
    await allHealthy();
  }, 600_000);

  it('--rollback-on-failure restores the backup itself: healthy on 2.13.5 with identical rows', async () => {
    const r = await upgrade(30, '--rollback-on-failure');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(jsonResult(r.stdout).data.failure.rolledBack).toBe(true);
    expect(await record()).toBe('v2.13.5');
    expect(await checksums()).toBe(before);
    await allHealthy();
  }, 600_000);

  it('without the injected failure the hop succeeds: rows preserved, the record says 2.14.4', async () => {
    await fs.rm(path.join(ws.dataDir, 'ca_download/regctl-test-dirty-schema'));
    const r = await upgrade(180);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(jsonResult(r.stdout).data.hops.map((h: { version: string; ok: boolean }) => `${h.version} ${h.ok}`)).toEqual(['2.14.4 true']);
    expect(await record()).toBe('v2.14.4');
    expect(await checksums()).toBe(before);
    await allHealthy();
  }, 600_000);
});
