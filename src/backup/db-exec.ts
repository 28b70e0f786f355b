/**
 * Running PostgreSQL's client tools inside the harbor-db container as the postgres user. The
 * password never reaches a command line: the shell inside the container takes it from the
 * container's own environment (POSTGRES_PASSWORD, from common/config/db/env); Harbor's image
 * trusts local connections anyway. Database names and SQL are passed as arguments or on stdin,
 * never spliced into the shell script.
 *
 * PGBIN: the test image's PostgreSQL is not on PATH (test/images/image-set.ts); Harbor's is.
 */
import { execa } from 'execa';
import { ExitCode, RegctlError } from '../errors.js';
import { firstErrorLine, runDocker, type DockerCli } from '../docker/cli.js';

/** `sh -c SCRIPT sh TOOL ARGS...`: runs "$PGBIN/TOOL" (or TOOL on PATH) with the env password */
const TOOL_SCRIPT = 'tool=$1; shift; PGPASSWORD="${POSTGRES_PASSWORD:-}" exec "${PGBIN:+$PGBIN/}$tool" -h 127.0.0.1 -U postgres "$@"';

export function toolArgs(container: string, tool: string, args: string[], opts: { stdin?: boolean } = {}): string[] {
  return ['exec', ...(opts.stdin ? ['-i'] : []), '-u', 'postgres', container, 'sh', '-c', TOOL_SCRIPT, 'sh', tool, ...args];
}

/** psql -At (fields separated by a tab) with ON_ERROR_STOP; SQL on stdin. Returns stdout lines. */
export async function psql(cli: DockerCli, container: string, database: string, sql: string): Promise<string[]> {
  const r = await runDocker(cli, toolArgs(container, 'psql', ['-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', database], { stdin: true }), { input: sql, timeoutMs: 10 * 60_000 });
  if (r.exitCode !== 0) {
    throw new RegctlError('E_DB_COMMAND', `psql in ${container} (database ${database}) failed: ${firstErrorLine(r.stderr) || `exit code ${r.exitCode}`}`, {
      exitCode: ExitCode.failure,
      fix: `check that ${container} is running and healthy (regctl status, regctl logs postgresql)`,
    });
  }
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** A streaming docker exec (pg_dump out, pg_restore in): the execa child, not awaited. */
export function spawnTool(cli: DockerCli, container: string, tool: string, args: string[], opts: { stdin?: boolean } = {}) {
  return execa(cli.bin, toolArgs(container, tool, args, opts), { env: cli.env, extendEnv: false, reject: false, buffer: { stdout: !!opts.stdin, stderr: true }, stdin: opts.stdin ? 'pipe' : 'ignore' });
}
