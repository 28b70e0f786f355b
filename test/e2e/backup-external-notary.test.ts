/**
 * backup and restore of a 2.8.6 --with-notary installation whose three databases are external
 * (external_database.harbor, .notary_server and .notary_signer in harbor.yml), through the CLI on
 * the real engine. The "external" server is a real PostgreSQL 15 (test/helpers/external-postgres.ts)
 * on the host's network with one database and one owner per service, as Harbor's docs ask an
 * operator to create them (names other than Harbor's defaults, so a default could not pass for the
 * configured one; the test harbor-db image's initdb has made notaryserver/server already).
 * Debian's real notary-server and notary-signer apply their schema to it at start
 * (test/images/files/notary/entrypoint.sh) and the core STAND-IN creates none, so the test
 * creates Harbor's counted tables itself and writes rows into Notary's real tables.
 *
 * What it proves, beyond the 2.15 case in backup-external-db.test.ts: every one of the three is
 * dumped with its own endpoint and credentials and none is mixed up with another on restore (each
 * database's every table identical by checksum after all three were changed), and Notary comes
 * back answering through nginx on the restored databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, finishedSteps, jsonResult } from './helpers/cli.js';
import { makeE2eWorkspace, containerStates, projectOf, freePort, hostAddress, treeHash, canBind, type E2eWorkspace, removeE2eWorkspace } from './helpers/workspace.js';
import { NOTARY_PORT, stateWhenUp, waitForNotaryServer } from './helpers/notary.js';
import { startExternalPostgres, type ExternalPostgres } from '../helpers/external-postgres.js';
import { HARBOR_COUNTED_ROWS, HARBOR_COUNTED_TABLES_SQL, tableChecksumSql } from '../helpers/harbor-tables.js';
import { HARBOR_YML_V28_EDITS } from '../helpers/workspace.js';
import { ensureImageSet, TEST_IMAGE_PREFIX } from '../images/image-set.js';
import { findRelease } from '../../src/releases/index.js';
import { imageRef } from '../../src/releases/types.js';

interface Service {
  /** the database's name in regctl's backup (db/<name>.dump) */
  name: string;
  key: string;
  user: string;
  dbName: string;
  password: string;
}

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const SERVICES: Service[] = [
  { name: 'registry', key: 'external_database.harbor', user: 'harbor', dbName: 'harbor_registry', password: secret('H') },
  { name: 'notaryserver', key: 'external_database.notary_server', user: 'ext_server', dbName: 'ext_notaryserver', password: secret('S') },
  { name: 'notarysigner', key: 'external_database.notary_signer', user: 'ext_signer', dbName: 'ext_notarysigner', password: secret('G') },
];
const [HARBOR, SERVER, SIGNER] = SERVICES as [Service, Service, Service];

/** rows in Notary's real tables, as signed pushes would leave them (TUF metadata, signing keys) */
const NOTARY_SERVER_ROWS = `
INSERT INTO tuf_files (created_at, updated_at, gun, role, version, data, sha256)
  SELECT now(), now(), 'reg.e2e.test/library/app-' || (i % 9), r, i, decode(md5(i::text || r), 'hex'), md5(i::text) || md5(r)
  FROM generate_series(1, 60) i, unnest(ARRAY['root', 'targets', 'snapshot', 'timestamp']) r;
INSERT INTO changefeed (gun, version, sha256) SELECT 'reg.e2e.test/library/app-' || (i % 9), i, md5(i::text) || md5('x') FROM generate_series(1, 60) i;
`;
const NOTARY_SIGNER_ROWS = `
INSERT INTO private_keys (created_at, updated_at, key_id, encryption_alg, keywrap_alg, algorithm, passphrase_alias, public, private, gun, role)
  SELECT now(), now(), md5('key' || i) || md5(i::text), 'A256GCM', 'PBES2-HS256+A128KW', 'ecdsa', 'defaultalias', decode(md5('pub' || i), 'hex'), decode(md5('priv' || i), 'hex'), 'reg.e2e.test/library/app-' || i, 'targets'
  FROM generate_series(1, 25) i;
`;

function externalDatabases(host: string, port: number) {
  const entry = (s: Service) => ({ host, port, db_name: s.dbName, username: s.user, password: s.password, ssl_mode: 'disable', max_idle_conns: 2, max_open_conns: 20 });
  return { database: undefined, external_database: { harbor: entry(HARBOR), notary_server: entry(SERVER), notary_signer: entry(SIGNER) } };
}

describeWithDocker('e2e: backup and restore of 2.8.6 --with-notary on three external databases (real notary, real PostgreSQL server)', () => {
  const v286 = findRelease('2.8.6');
  let ws: E2eWorkspace;
  let server: ExternalPostgres;
  let release: () => Promise<void> = async () => {};
  const base = () => ['--config', ws.configPath];
  const as = (s: Service, sql: string) => server.as(s.user, s.password, s.dbName, sql);
  /** every table of schema public in the service's database, checksummed */
  const checksums = async (s: Service) => {
    const tables = (await as(s, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1;")).split('\n').filter(Boolean);
    return tables.length ? as(s, tableChecksumSql(tables)) : '';
  };
  const before: Record<string, string> = {};
  let backupDir = '';

  const migratedTo = async (s: Service, version: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const got = await as(s, 'SELECT version FROM schema_migrations WHERE NOT dirty;').catch(() => '');
      if (got === version) return;
      if (Date.now() > deadline) throw new Error(`${s.dbName}: schema_migrations is "${got}", not ${version}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  };

  beforeAll(async () => {
    if (!v286) throw new Error('this regctl has no Harbor 2.8.6 release line (src/releases/v2.8.6.ts)');
    await ensureImageSet({ release: v286, log: (l) => console.log(`[image set 2.8.6] ${l}`) });
    release = await lockHarborNames();
    if (!(await canBind(NOTARY_PORT))) throw new Error(`port ${NOTARY_PORT} (Harbor's fixed Notary port) is in use on this host`);
    server = await startExternalPostgres(imageRef(v286, 'postgresql', TEST_IMAGE_PREFIX), await freePort());
    for (const s of SERVICES) await server.admin(`CREATE ROLE ${s.user} LOGIN PASSWORD '${s.password}'; CREATE DATABASE ${s.dbName} OWNER ${s.user};`);
    ws = await makeE2eWorkspace('regctl-e2e-extdb-notary', { ...HARBOR_YML_V28_EDITS, ...externalDatabases(hostAddress(), server.port) });
    const r = await regctl(['install', ...base(), '--harbor-version', '2.8.6', '--with-notary', '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180', '--yes']);
    if (r.code !== 0) throw new Error(`install failed: ${r.stdout}${r.stderr}`);
    // notary-server and notary-signer migrate their external databases before they listen
    await migratedTo(SERVER, '2');
    await migratedTo(SIGNER, '1');
    await waitForNotaryServer(ws);
    await as(HARBOR, HARBOR_COUNTED_TABLES_SQL);
    await as(SERVER, NOTARY_SERVER_ROWS);
    await as(SIGNER, NOTARY_SIGNER_ROWS);
    for (const s of SERVICES) before[s.name] = await checksums(s);
  }, 400_000);

  afterAll(async () => {
    await removeE2eWorkspace(ws);
    await server?.stop();
    await release();
  });

  it('runs without harbor-db: notary-server and notary-signer keep their data in the external server', async () => {
    const states = await containerStates(projectOf(ws));
    expect(Object.keys(states)).toEqual(expect.arrayContaining(['notary-server', 'notary-signer', 'harbor-core', 'nginx', 'registry']));
    expect(Object.keys(states)).not.toContain('harbor-db');
    for (const [name, st] of Object.entries(states)) expect(`${name} ${st}`).toBe(`${name} ${stateWhenUp(name)}`);
    expect(before.notaryserver).toMatch(/^tuf_files\|240\|/m);
    expect(before.notarysigner).toMatch(/^private_keys\|25\|/m);
  });

  it('backup dumps all three, each with its own endpoint and user; no password in any output', async () => {
    const out = path.join(ws.dir, 'backups', 'three');
    const r = await regctl(['backup', ...base(), '--output', out, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(finishedSteps(r.stdout)).toEqual(['stop:done', 'dump:done', 'files:done', 'registry:skip', 'manifest:done', 'restart:done']);
    const data = jsonResult(r.stdout).data;
    backupDir = data.dir;
    expect(data.databases).toEqual(['registry', 'notaryserver', 'notarysigner']);
    expect(data.externalDatabases).toEqual(SERVICES.map((s) => ({ name: s.name, key: s.key, host: hostAddress(), port: server.port, dbName: s.dbName, username: s.user })));
    expect(data.rowCounts).toEqual(HARBOR_COUNTED_ROWS);
    expect(data.notes).toEqual([]);
    const manifest = await fs.readFile(path.join(out, 'manifest.json'), 'utf8');
    for (const s of SERVICES) {
      expect(r.stdout + r.stderr + manifest).not.toContain(s.password);
      expect((await fs.readFile(path.join(out, `db/${s.name}.dump`))).subarray(0, 5).toString()).toBe('PGDMP');
    }
    for (const [name, st] of Object.entries(await containerStates(projectOf(ws)))) expect(`${name} ${st}`).toBe(`${name} ${stateWhenUp(name)}`);
  }, 400_000);

  it('down --volumes, data_volume wiped, all three databases changed: restore brings each back exactly, and Notary answers on them', async () => {
    const secretsBefore = await treeHash(path.join(ws.dataDir, 'secret'));
    expect((await regctl(['down', ...base(), '--volumes', '--yes'])).code).toBe(0);
    await fs.rm(ws.dataDir, { recursive: true, force: true });
    await as(HARBOR, "DELETE FROM artifact WHERE id % 2 = 0; INSERT INTO harbor_user (username) VALUES ('after-backup');");
    await as(SERVER, "DELETE FROM tuf_files WHERE role = 'timestamp'; DROP TABLE changefeed; CREATE TABLE left_by_a_failed_hop (id int);");
    await as(SIGNER, "UPDATE private_keys SET passphrase_alias = 'rotated' WHERE id % 3 = 0; DELETE FROM schema_migrations;");
    for (const s of SERVICES) expect(await checksums(s), s.dbName).not.toBe(before[s.name]);

    const r = await regctl(['restore', '--from', backupDir, ...base(), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(finishedSteps(r.stdout)).toEqual(['verify:done', 'check:done', 'secrets:done', 'configs:done', 'database:done', 'storage:skip', 'start:done', 'counts:done']);
    expect(jsonResult(r.stdout).data).toMatchObject({ differences: [], healthy: true, rowCounts: HARBOR_COUNTED_ROWS });
    for (const s of SERVICES) expect(r.stdout + r.stderr).not.toContain(s.password);
    for (const s of SERVICES) expect(await checksums(s), s.dbName).toBe(before[s.name]);
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    await waitForNotaryServer(ws);
    for (const [name, st] of Object.entries(await containerStates(projectOf(ws)))) expect(`${name} ${st}`).toBe(`${name} ${stateWhenUp(name)}`);
  }, 400_000);
});
