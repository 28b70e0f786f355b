/**
 * Running PostgreSQL's client tools (psql, pg_dump, pg_restore) against one of Harbor's
 * databases, wherever it lives:
 *
 * - the bundled one: `docker exec` into harbor-db as the postgres user. The shell inside the
 *   container takes the password from the container's own environment (POSTGRES_PASSWORD, from
 *   common/config/db/env); Harbor's image trusts local connections anyway.
 * - an external one (external_database in harbor.yml): a throwaway container of the release's
 *   harbor-db image on the host's network, so the client is the PostgreSQL Harbor ships and
 *   nothing has to be installed on the host. The password is the first line of the container's
 *   stdin, read by the shell there into PGPASSWORD: it is on no command line, in no environment
 *   of a process on the host, and not in the container's config (`docker inspect`). What
 *   follows on stdin (SQL, a dump) goes to the tool.
 *
 * Database names and SQL are passed as arguments or on stdin, never spliced into a shell script.
 * PGBIN: the test image's PostgreSQL is not on PATH (test/images/image-set.ts); Harbor's is.
 */
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { ExitCode, RegctlError } from '../errors.js';
import { firstErrorLine, type DockerCli } from '../docker/cli.js';
import type { DatabaseEndpoint } from '../config/model.js';

/** harbor-db of the stack: `docker exec` into it */
export interface BundledDatabase {
  kind: 'bundled';
  container: string;
  database: string;
}

/** external_database: reached from a throwaway container of `image` on the host network */
export interface ExternalDatabase {
  kind: 'external';
  image: string;
  endpoint: DatabaseEndpoint;
}

export type DatabaseTarget = BundledDatabase | ExternalDatabase;

/** "harbor-db (registry)" or "harbor@db.example.com:5432/registry": for messages, never a password */
export function describeTarget(t: DatabaseTarget): string {
  return t.kind === 'bundled' ? `${t.container} (${t.database})` : `${t.endpoint.username}@${t.endpoint.host}:${t.endpoint.port}/${t.endpoint.dbName}`;
}

/** The same target, another database (the bundled server's maintenance database 'postgres'). */
export function onDatabase(t: BundledDatabase, database: string): BundledDatabase {
  return { ...t, database };
}

/** `sh -c SCRIPT sh TOOL ARGS...`: runs "$PGBIN/TOOL" (or TOOL on PATH) with the env password */
const BUNDLED_SCRIPT = 'tool=$1; shift; PGPASSWORD="${POSTGRES_PASSWORD:-}" exec "${PGBIN:+$PGBIN/}$tool" -h 127.0.0.1 -U postgres "$@"';
/** the same for an external server: the password is stdin's first line */
const EXTERNAL_SCRIPT = 'IFS= read -r PGPASSWORD || exit 3; export PGPASSWORD; tool=$1; shift; exec "${PGBIN:+$PGBIN/}$tool" "$@"';

/** A libpq connection string (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING), without the password. */
export function conninfo(e: DatabaseEndpoint, connectTimeoutSeconds = 10): string {
  const q = (v: string | number) => `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const pairs: [string, string | number][] = [
    ['host', e.host],
    ['port', e.port],
    ['user', e.username],
    ['dbname', e.dbName],
    ['sslmode', e.sslMode || 'disable'],
    ['connect_timeout', connectTimeoutSeconds],
    ['application_name', 'regctl'],
  ];
  return pairs.map(([k, v]) => `${k}=${q(v)}`).join(' ');
}

/** The docker arguments that run `tool args` against the target. No password in them. */
export function toolArgs(t: DatabaseTarget, tool: string, args: string[], opts: { stdin?: boolean; name?: string } = {}): string[] {
  if (t.kind === 'bundled') {
    return ['exec', ...(opts.stdin ? ['-i'] : []), '-u', 'postgres', t.container, 'sh', '-c', BUNDLED_SCRIPT, 'sh', tool, '-d', t.database, ...args];
  }
  const name = opts.name ?? `regctl-db-client-${randomBytes(4).toString('hex')}`;
  return ['run', '--rm', '-i', '--name', name, '--label', 'regctl.role=db-client', '--network', 'host', '--log-driver', 'none', '--entrypoint', 'sh', t.image, '-c', EXTERNAL_SCRIPT, 'sh', tool, '-d', conninfo(t.endpoint), ...args];
}

function passwordLine(t: DatabaseTarget): string {
  if (t.kind === 'bundled') return '';
  // a password with a line break cannot be read as one line; harbor.yml validation never lets one through
  if (/[\r\n]/.test(t.endpoint.password)) throw new RegctlError('E_DB_PASSWORD', `the password of ${describeTarget(t)} holds a line break`, { exitCode: ExitCode.invalidInput, fix: 'set a password without line breaks in external_database' });
  return `${t.endpoint.password}\n`;
}

/** What a failed client run says, with the connection part kept and the password, should a server echo it, removed. */
export function clientError(t: DatabaseTarget, stderr: string, code: number | undefined): string {
  const line = firstErrorLine(stderr) || `exit code ${code}`;
  const pw = t.kind === 'external' ? t.endpoint.password : '';
  return pw ? line.split(pw).join('***') : line;
}

export type PsqlOutcome = { ok: true; lines: string[] } | { ok: false; error: string };

/** psql -At (fields separated by a tab) with ON_ERROR_STOP; SQL on stdin. A failure is a value here. */
export async function tryPsql(cli: DockerCli, t: DatabaseTarget, sql: string): Promise<PsqlOutcome> {
  const input = passwordLine(t) + sql;
  const r = await execa(cli.bin, toolArgs(t, 'psql', ['-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1'], { stdin: true }), { env: cli.env, extendEnv: false, reject: false, input, timeout: 10 * 60_000 });
  if (r.exitCode !== 0) return { ok: false, error: clientError(t, String(r.stderr ?? ''), r.exitCode) };
  return { ok: true, lines: String(r.stdout).split('\n').filter((l) => l !== '') };
}

/** tryPsql, with a failure thrown as E_DB_COMMAND. Returns stdout lines. */
export async function psql(cli: DockerCli, t: DatabaseTarget, sql: string): Promise<string[]> {
  const r = await tryPsql(cli, t, sql);
  if (r.ok) return r.lines;
  throw new RegctlError('E_DB_COMMAND', `psql on ${describeTarget(t)} failed: ${r.error}`, {
    exitCode: ExitCode.failure,
    fix: t.kind === 'bundled' ? `check that ${t.container} is running and healthy (regctl status, regctl logs postgresql)` : `check that ${t.endpoint.host}:${t.endpoint.port} answers and external_database in harbor.yml is right`,
  });
}

/**
 * A streaming run (pg_dump out, pg_restore in): the execa child, not awaited. With `stdin`, the
 * caller's stream follows the password line; without, stdin carries only the password.
 */
export function spawnTool(cli: DockerCli, t: DatabaseTarget, tool: string, args: string[], opts: { stdin?: NodeJS.ReadableStream } = {}) {
  const password = passwordLine(t);
  const needsStdin = Boolean(opts.stdin) || t.kind === 'external';
  const child = execa(cli.bin, toolArgs(t, tool, args, { stdin: needsStdin }), { env: cli.env, extendEnv: false, reject: false, buffer: { stdout: Boolean(opts.stdin), stderr: true }, stdin: needsStdin ? 'pipe' : 'ignore' });
  if (needsStdin) {
    child.stdin!.on('error', () => undefined); // the tool exited before reading everything: its exit code says why
    const source = opts.stdin;
    Readable.from(
      (async function* () {
        if (password) yield Buffer.from(password);
        if (source) for await (const chunk of source) yield chunk;
      })(),
    )
      .on('error', () => child.kill())
      .pipe(child.stdin!);
  }
  return child;
}
