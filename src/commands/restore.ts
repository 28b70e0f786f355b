/** regctl restore: a backup back into a fresh or stopped installation (src/backup/restore.ts). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { lockWaitOption, parseLockWait, parseTimeout, resolveRootFlag, rootOption } from './flags.js';
import { withProgress } from './progress-run.js';
import { ExitCode } from '../errors.js';
import { RESTORE_STEPS, runRestore } from '../backup/restore.js';
import { formatCounts } from '../backup/row-counts.js';

interface RestoreFlags {
  from: string;
  config?: string;
  installDir?: string;
  root?: string;
  yes?: boolean;
  forceSecretkey?: boolean;
  otherLine?: boolean;
  timeout: string;
  lockWait?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('restore')
    .description('restore a regctl backup into a fresh or stopped installation of the same release line, then start it health-gated and compare row counts')
    .requiredOption('--from <dir>', 'the backup directory (written by regctl backup)')
    .option('-c, --config <file>', "harbor.yml of the installation (default: ./harbor.yml); a missing one is taken from the backup")
    .option('--install-dir <dir>', 'directory holding docker-compose.yml (default: the config file directory)')
    .option('-y, --yes', 'stop a running stack first (its data is replaced)')
    .option('--force-secretkey', "replace the installation's secretkey with the backup's when they differ")
    .option('--other-line', "restore into an install dir rendered for another release line (rolling back a failed upgrade): the backup's configs and release replace it")
    .option('--timeout <seconds>', 'how long to wait for harbor-db and then the whole stack to be healthy', '300')
    .option('--json', 'JSON Lines: one event per step, then the result envelope');
  lockWaitOption(rootOption(cmd)).addHelpText(
    'after',
    `
Every file is checked against the manifest (size and sha256) before anything is written. Then:
secrets, harbor.yml and the rendered configs, each database (sessions terminated, dropped,
created, pg_restore inside harbor-db), the registry storage when the backup has it, the whole
stack (health-gated, then /api/v2.0/health and /v2/ through the proxy, as install checks),
and the row counts of project, repository, artifact and harbor_user compared with the backup's. Exit code 1 when the stack is not healthy or the counts differ.
An external database (external_database) keeps its server: its schema public is dropped and
filled from the dump in one transaction, as Harbor's user; it must answer and that user must own
the schema, both checked before anything is written.

Examples:
  regctl restore --from /opt/harbor/backups/20260101T120000Z --config /opt/harbor/harbor.yml
  regctl restore --from ./backup --yes --json | jq -c 'select(.event == "result")'`,
  );
  cmd.action(
    action(ctx, setExit, async (run, flags: RestoreFlags) => {
      const root = await resolveRootFlag(run.cwd, flags.root);
      const timeoutSeconds = parseTimeout(flags.timeout);
      const r = await withProgress(ctx, flags.json, RESTORE_STEPS, (p) =>
        runRestore(
          { from: flags.from, cwd: run.cwd, env: run.env, configPath: flags.config, installDir: flags.installDir, root, yes: Boolean(flags.yes), forceSecretkey: Boolean(flags.forceSecretkey), otherLine: Boolean(flags.otherLine), timeoutSeconds, lockWaitMs: parseLockWait(flags.lockWait) },
          p,
        ),
      );
      const ok = r.healthy && !r.differences.length;
      const data = { harborVersion: r.manifest.harborVersion, databases: r.manifest.databases.map((d) => d.name), rowCounts: r.rowCounts, expectedRowCounts: r.manifest.rowCounts, differences: r.differences, healthy: r.healthy, endpoints: r.endpoints.map((e) => ({ check: e.check, status: e.status, detail: e.detail })), stopped: r.stopped };
      const lines = [`restored Harbor ${r.manifest.harborVersion} from ${flags.from}`, `  rows: ${formatCounts(r.rowCounts)}`];
      if (ok) return { exitCode: ExitCode.ok, data, lines: [...lines, '  the stack is healthy and the row counts match the backup'] };
      return {
        exitCode: ExitCode.failure,
        data,
        lines,
        error: {
          severity: 'error',
          code: r.healthy ? 'E_RESTORE_COUNTS' : 'E_NOT_HEALTHY',
          message: r.healthy ? `the restored rows differ from the backup's: ${r.differences.join('; ')}` : `the restored stack is not healthy: ${r.unready}`,
          fix: 'see regctl status and regctl logs SERVICE; the backup is unchanged and can be restored again',
        },
      };
    }),
  );
}
