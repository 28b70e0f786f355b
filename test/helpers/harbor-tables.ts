/**
 * Harbor's tables that regctl counts (project, repository, artifact, harbor_user) and
 * schema_migrations, filled with rows, for tests whose database is written by a core STAND-IN
 * that creates no schema; and one checksum query per table, to compare a database before a
 * backup and after its restore row for row.
 */
export const HARBOR_COUNTED_TABLES_SQL = `
CREATE TABLE harbor_user (user_id serial PRIMARY KEY, username varchar(255) UNIQUE, email varchar(255));
CREATE TABLE project (project_id serial PRIMARY KEY, owner_id int REFERENCES harbor_user(user_id), name varchar(255) UNIQUE);
CREATE TABLE repository (repository_id serial PRIMARY KEY, name varchar(255) UNIQUE, project_id int REFERENCES project(project_id));
CREATE TABLE artifact (id serial PRIMARY KEY, repository_id int REFERENCES repository(repository_id), digest varchar(255), size bigint);
CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations VALUES (150, false);
INSERT INTO harbor_user (username, email) SELECT 'user' || i, 'u' || i || '@e2e.test' FROM generate_series(1, 17) i;
INSERT INTO project (owner_id, name) SELECT 1 + i % 17, 'project-' || i FROM generate_series(1, 30) i;
INSERT INTO repository (name, project_id) SELECT 'project-' || (1 + i % 30) || '/repo-' || i, 1 + i % 30 FROM generate_series(1, 200) i;
INSERT INTO artifact (repository_id, digest, size) SELECT 1 + i % 200, 'sha256:' || md5(i::text), i * 512 FROM generate_series(1, 2500) i;
`;

/** the row counts regctl reports for HARBOR_COUNTED_TABLES_SQL */
export const HARBOR_COUNTED_ROWS = { project: 30, repository: 200, artifact: 2500, harbor_user: 17 };

export const HARBOR_CHECKSUMMED_TABLES = ['harbor_user', 'project', 'repository', 'artifact', 'schema_migrations'];

/** per table: its name, row count and the md5 of all its rows in a fixed order (psql -At prints one line each) */
export const tableChecksumSql = (tables: string[]): string =>
  tables.map((t) => `SELECT '${t}', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x;`).join('\n');
