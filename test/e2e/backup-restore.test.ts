/**
 * backup → down --volumes → data_volume wiped → restore, on the real engine with the local image
 * set: harbor-db is Debian's real PostgreSQL 15, and pg_dump/pg_restore run inside it. The core
 * STAND-IN creates no Harbor schema, so the test creates Harbor's four counted tables (project,
 * repository, artifact, harbor_user), golang-migrate's schema_migrations and a ledger, with
 * rows, through psql in harbor-db.
 *
 * Write load: while `regctl backup` runs, a psql session keeps inserting pairs of rows (one row in
 * ledger_a and one in ledger_b per transaction). "Consistent" here means what pg_dump promises:
 * one snapshot of the database, so the restored ledger has as many rows in ledger_a as in
 * ledger_b, whatever the load was doing when the dump started.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, finishedSteps, jsonResult } from './helpers/cli.js';
import { makeE2eWorkspace, treeHash, containerStates, projectOf, envFile, type E2eWorkspace, removeE2eWorkspace } from './helpers/workspace.js';
import { ensureImageSet, TEST_IMAGE_PREFIX } from '../images/image-set.js';
import { tableChecksumSql } from '../helpers/harbor-tables.js';

const PSQL = 'PGPASSWORD="$POSTGRES_PASSWORD" exec "$PGBIN/psql" -X -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d registry';

function psql(sql: string) {
  return execa('docker', ['exec', '-i', '-u', 'postgres', 'harbor-db', 'sh', '-c', PSQL], { input: sql });
}

const SCHEMA = `
CREATE TABLE harbor_user (user_id serial PRIMARY KEY, username varchar(255) UNIQUE, email varchar(255), creation_time timestamp DEFAULT now());
CREATE TABLE project (project_id serial PRIMARY KEY, owner_id int REFERENCES harbor_user(user_id), name varchar(255) UNIQUE, deleted boolean DEFAULT false);
CREATE TABLE repository (repository_id serial PRIMARY KEY, name varchar(255) UNIQUE, project_id int REFERENCES project(project_id), pull_count int DEFAULT 0);
CREATE TABLE artifact (id serial PRIMARY KEY, repository_id int REFERENCES repository(repository_id), digest varchar(255), size bigint, extra_attrs text);
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (150, false);
INSERT INTO harbor_user (username, email) SELECT 'user' || i, 'u' || i || '@e2e.test' FROM generate_series(1, 25) i;
INSERT INTO project (owner_id, name) SELECT 1 + i % 25, 'project-' || i FROM generate_series(1, 40) i;
INSERT INTO repository (name, project_id) SELECT 'project-' || (1 + i % 40) || '/repo-' || i, 1 + i % 40 FROM generate_series(1, 300) i;
INSERT INTO artifact (repository_id, digest, size, extra_attrs) SELECT 1 + i % 300, 'sha256:' || md5(i::text) || md5((i * 7)::text), i * 1024, repeat('x', i % 97) FROM generate_series(1, 5000) i;
CREATE TABLE ledger_a (id bigint PRIMARY KEY);
CREATE TABLE ledger_b (id bigint PRIMARY KEY);
CREATE PROCEDURE load(n int) LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    INSERT INTO ledger_a VALUES (i);
    INSERT INTO ledger_b VALUES (i);
    COMMIT;
    PERFORM pg_sleep(0.002);
  END LOOP;
END $$;
`;

const STATIC_TABLES = ['harbor_user', 'project', 'repository', 'artifact', 'schema_migrations'];

/** md5 of every row of each table, in a fixed order */
async function checksums(tables: string[]): Promise<Record<string, string>> {
  const out = (await psql(tableChecksumSql(tables))).stdout.trim().split('\n');
  return Object.fromEntries(out.map((l) => l.split('|')).map(([t, n, h]) => [t!, `${n} ${h}`]));
}

describeWithDocker('e2e: backup, wipe, restore (real engine, real PostgreSQL)', () => {
  let ws: E2eWorkspace;
  let release: () => Promise<void> = async () => {};
  let backupDir = '';
  let before: Record<string, string> = {};
  let secretsBefore = '';
  let secretValues: string[] = [];
  const base = () => ['--config', ws.configPath];

  beforeAll(async () => {
    await ensureImageSet({ log: (l) => console.log(`[image set] ${l}`) });
    release = await lockHarborNames();
    ws = await makeE2eWorkspace('regctl-e2e-backup');
    const r = await regctl(['install', ...base(), '--image-prefix', TEST_IMAGE_PREFIX, '--timeout', '180']);
    if (r.code !== 0) throw new Error(`install failed: ${r.stdout}${r.stderr}`);
    await psql(SCHEMA);
    before = await checksums(STATIC_TABLES);
    secretsBefore = await treeHash(path.join(ws.dataDir, 'secret'));
    const db = await envFile(path.join(ws.dir, 'common/config/db/env'));
    const core = await envFile(path.join(ws.dir, 'common/config/core/env'));
    secretValues = [db.POSTGRES_PASSWORD!, core.CORE_SECRET!, core.REGISTRY_CREDENTIAL_PASSWORD!].filter(Boolean);
  }, 400_000);

  afterAll(async () => {
    await removeE2eWorkspace(ws);
    await release();
  });

  it('backup under write load: writers stopped and started again, every part 0600 with its sha256, the manifest last', async () => {
    const load = psql('CALL load(100000);').catch((e: unknown) => e); // cancelled below
    // the load is running before the backup starts: wait for its first committed rows
    for (let n = 0; n === 0; ) n = Number((await psql('SELECT count(*) FROM ledger_a;')).stdout.trim());
    const out = path.join(ws.dir, 'backups', 'one');
    const r = await regctl(['backup', ...base(), '--output', out, '--with-registry-data', '--json']);
    await psql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CALL load%' AND pid <> pg_backend_pid();");
    await load;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const steps = finishedSteps(r.stdout);
    expect(steps).toEqual(['stop:done', 'dump:done', 'files:done', 'registry:done', 'manifest:done', 'restart:done']);
    const data = jsonResult(r.stdout).data;
    backupDir = data.dir;
    expect(backupDir).toBe(out);
    expect(data.databases).toEqual(['registry']);
    expect(data.rowCounts).toEqual({ project: 40, repository: 300, artifact: 5000, harbor_user: 25 });
    expect([...data.restarted].sort()).toEqual(['core', 'jobservice', 'proxy', 'registry', 'registryctl']);
    for (const v of secretValues) expect(r.stdout + r.stderr).not.toContain(v);
    // the writers are back and healthy
    for (const [name, st] of Object.entries(await containerStates(projectOf(ws)))) expect(`${name} ${st}`).toBe(`${name} running healthy`);

    const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.harborVersion).toBe('v2.15.2');
    expect(manifest.parts.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['db/registry.dump', 'config/harbor.yml', 'install/docker-compose.yml', 'install/common/config/regctl/installation.json', 'secret/keys/secretkey']));
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const p of manifest.parts as { path: string; size: number }[]) {
      const st = statSync(path.join(out, p.path));
      expect(`${p.path} ${(st.mode & 0o777).toString(8)} ${st.size}`).toBe(`${p.path} 600 ${p.size}`);
    }
    expect((await fs.readdir(path.dirname(out))).filter((n) => n.endsWith('.partial'))).toEqual([]);
    // the dump is a real custom-format archive (PGDMP magic)
    expect((await fs.readFile(path.join(out, 'db/registry.dump'))).subarray(0, 5).toString()).toBe('PGDMP');
  }, 400_000);

  it('a part that does not match the manifest is refused before anything is touched', async () => {
    const copy = path.join(ws.dir, 'backups', 'tampered');
    await fs.cp(backupDir, copy, { recursive: true });
    const dump = path.join(copy, 'db/registry.dump');
    const bytes = await fs.readFile(dump);
    bytes[bytes.length - 1] ^= 0xff;
    await fs.writeFile(dump, bytes);
    const r = await regctl(['restore', '--from', copy, ...base(), '--yes', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_BACKUP_INVALID');
    expect(jsonResult(r.stdout).error?.message).toContain('db/registry.dump does not match the manifest');
    // still running, untouched
    expect(await checksums(STATIC_TABLES)).toEqual(before);
  });

  it('a running stack is refused without --yes', async () => {
    const r = await regctl(['restore', '--from', backupDir, ...base(), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(jsonResult(r.stdout).error?.code).toBe('E_RESTORE_RUNNING');
  });

  it('down --volumes, data_volume wiped, restore: identical rows (checksums), a consistent ledger, identical secrets, healthy stack', async () => {
    expect((await regctl(['down', ...base(), '--volumes', '--yes'])).code).toBe(0);
    await fs.rm(ws.dataDir, { recursive: true, force: true });
    const r = await regctl(['restore', '--from', backupDir, ...base(), '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const steps = finishedSteps(r.stdout);
    expect(steps).toEqual(['verify:done', 'check:done', 'secrets:done', 'configs:done', 'database:done', 'storage:done', 'start:done', 'counts:done']);
    expect(jsonResult(r.stdout).data).toMatchObject({ differences: [], healthy: true, rowCounts: { project: 40, repository: 300, artifact: 5000, harbor_user: 25 } });
    // and Harbor answers through its proxy, as after an install
    expect(jsonResult(r.stdout).data.endpoints.map((e: { check: string; status: string }) => `${e.check} ${e.status}`)).toEqual(['GET /api/v2.0/health pass', 'GET /v2/ (token realm) pass']);
    for (const v of secretValues) expect(r.stdout + r.stderr).not.toContain(v);

    expect(await checksums(STATIC_TABLES)).toEqual(before);
    const [a, b] = (await psql('SELECT (SELECT count(*) FROM ledger_a), (SELECT count(*) FROM ledger_b), (SELECT count(*) FROM ledger_a a JOIN ledger_b b USING (id));')).stdout.trim().split('|');
    console.log(`[backup] the dump's snapshot had ${a} ledger pairs`);
    expect(Number(a)).toBeGreaterThan(0);
    expect(b).toBe(a);
    expect(await treeHash(path.join(ws.dataDir, 'secret'))).toBe(secretsBefore);
    for (const [name, st] of Object.entries(await containerStates(projectOf(ws)))) expect(`${name} ${st}`).toBe(`${name} running healthy`);
  }, 400_000);
});
