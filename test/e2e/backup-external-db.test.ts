/**
 * backup and restore of an installation whose database is external (external_database in
 * harbor.yml), through the CLI, on the real engine: the "external" server is a real PostgreSQL
 * 15 (test/helpers/external-postgres.ts) on the host's network, reached by the stack's core
 * STAND-IN at the host's address and by regctl's client container (the test harbor-db image).
 * The stand-in creates no schema, so the test creates Harbor's counted tables itself.
 *
 * And the case the issue names besides: a configured database that does not answer is not
 * dumped and the backup says so; an upgrade refuses to go on from such a backup.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, finishedSteps, jsonResult } from './helpers/cli.js';
import { makeE2eWorkspace, containerStates, projectOf, freePort, hostAddress, treeHash, type E2eWorkspace, removeE2eWorkspace } from './helpers/workspace.js';
import { startExternalPostgres, type ExternalPostgres } from '../helpers/external-postgres.js';
import { HARBOR_CHECKSUMMED_TABLES, HARBOR_COUNTED_ROWS, HARBOR_COUNTED_TABLES_SQL, tableChecksumSql } from '../helpers/harbor-tables.js';
import { ensureImageSet, TEST_IMAGE_PREFIX } from '../images/image-set.js';
import { defaultRelease, findRelease } from '../../src/releases/index.js';
import { imageRef } from '../../src/releases/types.js';

const checksumSql = tableChecksumSql(HARBOR_CHECKSUMMED_TABLES);

function externalDatabase(host: string, port: number, password: string, dbName = 'harbor_registry') {
  return { database: undefined, external_database: { harbor: { host, port, db_name: dbName, username: 'harbor', password, ssl_mode: 'disable', max_idle_conns: 2, max_open_conns: 20 } } };
}

describeWithDocker('e2e: backup and restore with an external database (real engine, real PostgreSQL server)', () => {
  let ws: E2eWorkspace;
  let server: ExternalPostgres;
  let release: () => Promise<void> = async () => {};
  const password = `E${randomBytes(12).toString('hex')}`;
  const base = () => ['--config', ws.configPath];
  const asHarbor = (sql: string) => server.as('harbor', password, 'harbor_registry', sql);
  let before = '';
  let backupDir = '';

  beforeAll(async () => {
    await ensureImageSet({ log: (l) => console.log(`[image set] ${l}`) });
    release = await lockHarborNames();
    server = await startExternalPostgres(imageRef(defaultRelease, 'postgresql', TEST_IMAGE_PREFIX), await freePort());
    await server.admin(`CREATE ROLE harbor LOGIN PASSWORD '${password}'; CREATE DATABASE harbor_registry OWNER harbor;`);
    ws = await makeE2eWorkspace('regctl-e2e-extdb', externalDatabase(hostAddress(), server.port, password));
    const r = await regctl(['install', ...base(), '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180']);
    if (r.code !== 0) throw new Error(`install failed: ${r.stdout}${r.stderr}`);
    await asHarbor(HARBOR_COUNTED_TABLES_SQL);
    before = await asHarbor(checksumSql);
  }, 400_000);

  afterAll(async () => {
    await removeE2eWorkspace(ws);
    await server?.stop();
    await release();
  });

  it('runs without harbor-db: the stack is healthy against the external server', async () => {
    const states = await containerStates(projectOf(ws));
    expect(Object.keys(states)).not.toContain('harbor-db');
    for (const [name, st] of Object.entries(states)) expect(`${name} ${st}`).toBe(`${name} running healthy`);
  });

  it('backup dumps the external database (pg_dump -Fc from the harbor-db image) with its row counts; no password in any output', async () => {
    const out = path.join(ws.dir, 'backups', 'ext');
    const r = await regctl(['backup', ...base(), '--output', out, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(finishedSteps(r.stdout)).toEqual(['stop:done', 'dump:done', 'files:done', 'registry:skip', 'manifest:done', 'restart:done']);
    const data = jsonResult(r.stdout).data;
    backupDir = data.dir;
    expect(data.databases).toEqual(['registry']);
    expect(data.externalDatabases).toEqual([{ name: 'registry', key: 'external_database.harbor', host: hostAddress(), port: server.port, dbName: 'harbor_registry', username: 'harbor' }]);
    expect(data.rowCounts).toEqual(HARBOR_COUNTED_ROWS);
    expect(data.notes).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(password);
    const manifest = await fs.readFile(path.join(out, 'manifest.json'), 'utf8');
    expect(manifest).not.toContain(password);
    expect((await fs.readFile(path.join(out, 'db/registry.dump'))).subarray(0, 5).toString()).toBe('PGDMP');
    for (const [name, st] of Object.entries(await containerStates(projectOf(ws)))) expect(`${name} ${st}`).toBe(`${name} running healthy`);

    const text = await regctl(['backup', ...base(), '--output', path.join(ws.dir, 'backups', 'ext-text')]);
    expect(text.code, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain(`databases: registry (external harbor@${hostAddress()}:${server.port}/harbor_registry)`);
  }, 400_000);

  it('down --volumes, data_volume wiped, the external database changed: restore brings back exactly the dumped rows and a healthy stack', async () => {
    const secretsBefore = await treeHash(path.join(ws.dataDir, 'secret'));
    expect((await regctl(['down', ...base(), '--volumes', '--yes'])).code).toBe(0);
    await fs.rm(ws.dataDir, { recursive: true, force: true });
    await asHarbor("DELETE FROM artifact WHERE id % 2 = 0; INSERT INTO harbor_user (username) VALUES ('after-backup'); DROP TABLE schema_migrations; CREATE TABLE left_by_a_failed_hop (id int);");
    const r = await regctl(['restore', '--from', backupDir, ...base(), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(finishedSteps(r.stdout)).toEqual(['verify:done', 'check:done', 'secrets:done', 'configs:done', 'database:done', 'storage:skip', 'start:done', 'counts:done']);
    expect(jsonResult(r.stdout).data).toMatchObject({ differences: [], healthy: true, rowCounts: HARBOR_COUNTED_ROWS });
    // and Harbor answers through its proxy, as after an install
    expect(jsonResult(r.stdout).data.endpoints.map((e: { check: string; status: string }) => `${e.check} ${e.status}`)).toEqual(['GET /api/v2.0/health pass', 'GET /v2/ (token realm) pass']);
    expect(r.stdout + r.stderr).not.toContain(password);
    expect(await asHarbor(checksumSql)).toBe(before);
    expect(await asHarbor("SELECT count(*) FROM pg_tables WHERE tablename = 'left_by_a_failed_hop';")).toBe('0');
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    for (const [name, st] of Object.entries(await containerStates(projectOf(ws)))) expect(`${name} ${st}`).toBe(`${name} running healthy`);
  }, 400_000);

  it('a database that does not answer is not dumped and the backup says so; upgrade refuses to go on from it', async () => {
    for (const v of ['2.14.4']) await ensureImageSet({ release: findRelease(v)!, log: (l) => console.log(`[image set ${v}] ${l}`) });
    const closed = await freePort([server.port]);
    // a second installation, prepared but not started: nothing to stop, nothing to restart
    const other = await makeE2eWorkspace('regctl-e2e-extdb-down', { ...externalDatabase(hostAddress(), closed, password), 'trivy.db_repository': undefined, 'trivy.java_db_repository': undefined, _version: '2.14.0' });
    try {
      const prepared = await regctl(['prepare', '--config', other.configPath, '--harbor-version', '2.14.4', '--image-prefix', TEST_IMAGE_PREFIX]);
      expect(prepared.code, prepared.stdout + prepared.stderr).toBe(0);
      const r = await regctl(['backup', '--config', other.configPath, '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(finishedSteps(r.stdout)).toEqual(['stop:done', 'dump:warn', 'files:done', 'registry:skip', 'manifest:done', 'restart:skip']);
      const data = jsonResult(r.stdout).data;
      expect(data.databases).toEqual([]);
      expect(data.notes.join('\n')).toMatch(new RegExp(`external database harbor@${hostAddress().replace(/\./g, '\\.')}:${closed}/harbor_registry \\(external_database.harbor in harbor.yml\\) is not reachable \\(.*Connection refused.*\\): it was not dumped`));
      expect(r.stdout + r.stderr).not.toContain(password);

      const up = await regctl(['upgrade', '--to', '2.15.2', '--yes', '--config', other.configPath, '--image-prefix', TEST_IMAGE_PREFIX, '--json']);
      expect(up.code, up.stdout + up.stderr).toBe(1);
      expect(jsonResult(up.stdout).error?.code).toBe('E_UPGRADE_NO_DB_BACKUP');
      // nothing was upgraded: the record still says 2.14.4
      expect(JSON.parse(await fs.readFile(path.join(other.dir, 'common/config/regctl/installation.json'), 'utf8')).harborVersion).toBe('v2.14.4');
    } finally {
      await fs.rm(other.dir, { recursive: true, force: true });
    }
  }, 300_000);
});
