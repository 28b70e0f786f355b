/**
 * Dump and restore of an external database (external_database in harbor.yml) against a real
 * PostgreSQL 15 server (test/helpers/external-postgres.ts), with the client in a throwaway
 * container of the test harbor-db image, as regctl runs it for an operator's database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { describeWithDocker } from '../e2e/helpers/engine.js';
import { freePort } from '../e2e/helpers/workspace.js';
import { startExternalPostgres, type ExternalPostgres } from '../helpers/external-postgres.js';
import { tempDir } from '../helpers/tmp.js';
import { tableChecksumSql } from '../helpers/harbor-tables.js';
import { ensureImageSet, TEST_IMAGE_PREFIX } from '../images/image-set.js';
import { defaultRelease } from '../../src/releases/index.js';
import { imageRef } from '../../src/releases/types.js';
import { findDockerCli, type DockerCli } from '../../src/docker/cli.js';
import type { ExternalDatabase } from '../../src/backup/db-exec.js';
import { psql, tryPsql } from '../../src/backup/db-exec.js';
import { checkExternalRestorable, dumpDatabase, restoreExternalDatabase } from '../../src/backup/database-dump.js';
import { probeExternal, type ExternalDatabaseEntry } from '../../src/backup/install-databases.js';
import { rowCounts } from '../../src/backup/row-counts.js';
import { RegctlError } from '../../src/errors.js';

const SCHEMA = `
CREATE TABLE harbor_user (user_id serial PRIMARY KEY, username varchar(255) UNIQUE);
CREATE TABLE project (project_id serial PRIMARY KEY, owner_id int REFERENCES harbor_user(user_id), name varchar(255) UNIQUE);
CREATE TABLE repository (repository_id serial PRIMARY KEY, name varchar(255), project_id int REFERENCES project(project_id));
CREATE TABLE artifact (id serial PRIMARY KEY, repository_id int REFERENCES repository(repository_id), digest text);
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
CREATE FUNCTION update_update_time_at_column() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
INSERT INTO schema_migrations VALUES (150, false);
INSERT INTO harbor_user (username) SELECT 'user' || i FROM generate_series(1, 12) i;
INSERT INTO project (owner_id, name) SELECT 1 + i % 12, 'p' || i FROM generate_series(1, 20) i;
INSERT INTO repository (name, project_id) SELECT 'p/r' || i, 1 + i % 20 FROM generate_series(1, 90) i;
INSERT INTO artifact (repository_id, digest) SELECT 1 + i % 90, md5(i::text) FROM generate_series(1, 700) i;
`;
const TABLES = ['harbor_user', 'project', 'repository', 'artifact', 'schema_migrations'];

/** /proc/<pid>/cmdline of every process on this host (containers' included) */
function allCommandLines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

describeWithDocker('backup: an external database on a real PostgreSQL server', () => {
  let server: ExternalPostgres;
  let cli: DockerCli;
  let db: ExternalDatabase;
  const password = `p'w ${randomBytes(8).toString('hex')} \\x`; // a quote, a space and a backslash: none may break the client's input
  const dbName = "harbor reg'x"; // the same for the connection string

  beforeAll(async () => {
    await ensureImageSet({ log: (l) => console.log(`[image set] ${l}`) });
    cli = findDockerCli(process.env)!;
    const image = imageRef(defaultRelease, 'postgresql', TEST_IMAGE_PREFIX);
    server = await startExternalPostgres(image, await freePort());
    const pwLiteral = `'${password.replace(/'/g, "''")}'`;
    await server.admin(`CREATE ROLE harbor LOGIN PASSWORD ${pwLiteral}; CREATE DATABASE "${dbName.replace(/"/g, '""')}" OWNER harbor; CREATE ROLE other LOGIN PASSWORD 'other';`);
    db = { kind: 'external', image, endpoint: { host: '127.0.0.1', port: server.port, dbName, username: 'harbor', password, sslMode: 'disable' } };
    await psql(cli, db, SCHEMA);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('dumps with pg_dump -Fc and restores exactly the dumped rows: changed rows back, a dropped table back, a table created since gone', async () => {
    const dir = await tempDir('regctl-extdb');
    const before = await psql(cli, db, tableChecksumSql(TABLES));
    const got = await dumpDatabase(cli, db, path.join(dir, 'registry.dump'));
    const bytes = await fs.readFile(path.join(dir, 'registry.dump'));
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP'); // the custom format's magic
    expect(got.size).toBe(bytes.length);
    expect((await fs.stat(path.join(dir, 'registry.dump'))).mode & 0o777).toBe(0o600);
    expect(await rowCounts(cli, db)).toEqual({ project: 20, repository: 90, artifact: 700, harbor_user: 12 });

    // what a failed upgrade hop could leave: rows changed, a table gone, a new one
    await psql(cli, db, "INSERT INTO harbor_user (username) VALUES ('late'); DELETE FROM artifact WHERE id % 3 = 0; DROP TABLE schema_migrations; CREATE TABLE new_in_next_release (id int);");
    expect(await psql(cli, db, tableChecksumSql(['harbor_user', 'artifact']))).not.toEqual(before.filter((l) => /^(harbor_user|artifact)\t/.test(l)));

    await restoreExternalDatabase(cli, db, dir, 'registry.dump');
    expect(await psql(cli, db, tableChecksumSql(TABLES))).toEqual(before);
    expect(await psql(cli, db, "SELECT count(*) FROM pg_tables WHERE tablename = 'new_in_next_release';")).toEqual(['0']);
    expect(await psql(cli, db, "SELECT proname FROM pg_proc WHERE proname = 'update_update_time_at_column';")).toEqual(['update_update_time_at_column']);
    // owned by Harbor's user, as the migrations left them
    expect(await psql(cli, db, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public';")).toEqual(['harbor']);
  }, 120_000);

  it('puts the password on no command line and into no container config', async () => {
    const seen = new Set<string>();
    let inspected = '';
    const slow = psql(cli, db, 'SELECT pg_sleep(2.5);');
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      for (const l of allCommandLines()) seen.add(l);
      if (!inspected) {
        const ids = (await execa('docker', ['ps', '-q', '--filter', 'label=regctl.role=db-client'])).stdout.trim();
        if (ids) inspected = (await execa('docker', ['inspect', ...ids.split('\n')], { reject: false })).stdout;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await slow;
    expect([...seen].some((l) => l.includes('regctl-db-client'))).toBe(true); // the scan did see the client's command line
    expect([...seen].some((l) => l.includes('connect_timeout'))).toBe(true); // and psql's inside the container
    expect(inspected).toContain('"Image"'); // and docker inspect of its container
    expect([...seen].filter((l) => l.includes(password) || l.includes(password.slice(4, 20)))).toEqual([]);
    expect(inspected).not.toContain(password.slice(4, 20));
    // the throwaway client is gone afterwards (--rm)
    expect((await execa('docker', ['ps', '-aq', '--filter', 'label=regctl.role=db-client'])).stdout.trim()).toBe('');
  }, 60_000);

  it('says "not reachable" for a closed port and refuses a wrong password without printing either password', async () => {
    const entry = (endpoint: Partial<ExternalDatabase['endpoint']>): ExternalDatabaseEntry => ({ name: 'registry', key: 'external_database.harbor', target: { ...db, endpoint: { ...db.endpoint, ...endpoint } } });
    const closed = await freePort([server.port]);
    const probe = await probeExternal(cli, entry({ port: closed }));
    expect(probe.reachable).toBe(false);
    expect(!probe.reachable && probe.reason).toMatch(/Connection refused/);
    expect(await probeExternal(cli, entry({}))).toEqual({ reachable: true });

    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const err = await probeExternal(cli, entry({ password: wrong })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegctlError);
    expect((err as RegctlError).code).toBe('E_DB_REFUSED');
    expect((err as RegctlError).message).toMatch(/password authentication failed for user "harbor"/);
    expect(JSON.stringify(err) + (err as Error).message).not.toContain(wrong);
    expect((err as Error).message).not.toContain(password);
  }, 60_000);

  it('refuses to restore for a user that does not own schema public, and changes nothing', async () => {
    await server.admin(`CREATE DATABASE not_owned; GRANT CONNECT ON DATABASE not_owned TO other;`);
    await server.admin('CREATE TABLE keep (id int); INSERT INTO keep VALUES (1), (2);', 'not_owned');
    const other: ExternalDatabase = { ...db, endpoint: { ...db.endpoint, dbName: 'not_owned', username: 'other', password: 'other' } };
    const err = await checkExternalRestorable(cli, other).catch((e: unknown) => e);
    expect((err as RegctlError).code).toBe('E_RESTORE_EXTERNAL_DB');
    expect((err as RegctlError).fix).toMatch(/ALTER SCHEMA public OWNER TO "other"/);
    const dir = await tempDir('regctl-extdb');
    await dumpDatabase(cli, db, path.join(dir, 'registry.dump'));
    await expect(restoreExternalDatabase(cli, other, dir, 'registry.dump')).rejects.toThrow(/does not own schema public/);
    expect(await server.admin('SELECT count(*) FROM keep;', 'not_owned')).toBe('2');
  }, 60_000);

  it('reports a failed psql as a value (tryPsql) with the server error', async () => {
    const r = await tryPsql(cli, db, 'SELECT * FROM no_such_table;');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/relation "no_such_table" does not exist/);
  }, 30_000);
});
