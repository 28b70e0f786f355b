/** regctl backup: a consistent copy of one installation (src/backup/backup.ts). */
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { commandLine, lockWaitOption, parseLockWait, parseTimeout, resolveRootFlag, rootOption } from './flags.js';
import { withProgress } from './progress-run.js';
import { ExitCode } from '../errors.js';
import { openStackFromOptions } from '../install/stack.js';
import { BACKUP_STEPS, runBackup } from '../backup/backup.js';
import { formatCounts } from '../backup/row-counts.js';

interface BackupFlags {
  config?: string;
  installDir?: string;
  root?: string;
  output?: string;
  withRegistryData?: boolean;
  timeout: string;
  lockWait?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('backup')
    .description('a consistent backup of the installation: writers stopped, pg_dump of each database inside harbor-db, secrets, configs, the recorded release; a manifest with sizes and sha256')
    .option('-c, --config <file>', 'harbor.yml of the installation (default: ./harbor.yml, else ./harbor.cfg)')
    .option('--install-dir <dir>', 'directory holding docker-compose.yml (default: the config file directory)')
    .option('-o, --output <dir>', 'where to write the backup (must not exist; default: <install dir>/backups/<timestamp>)')
    .option('--with-registry-data', 'also copy the registry storage (data_volume/registry; not for object storage)')
    .option('--timeout <seconds>', 'how long to wait for the writers to be healthy again', '300')
    .option('--json', 'JSON Lines: one event per step, then the result envelope');
  lockWaitOption(rootOption(cmd)).addHelpText(
    'after',
    `
core, jobservice, registry, registryctl, nginx, trivy (and Notary) are stopped while the dump
runs; harbor-db, redis, the portal and the log sink keep running. The dump runs inside harbor-db
with its own environment: no password on any command line. With external_database in harbor.yml,
pg_dump runs in a throwaway container of the release's harbor-db image on the host network and
reads the password from its stdin; a database that does not answer is not dumped, and the backup
says so (a wrong password is an error). The backup directory is 0700, its
files 0600; it is written as <dir>.partial and renamed when complete, the manifest last.

Examples:
  regctl backup --config /opt/harbor/harbor.yml
  regctl backup --output /srv/backups/harbor-$(date +%F) --with-registry-data
  regctl backup --json | jq -c 'select(.event == "result") | .data.dir'`,
  );
  cmd.action(
    action(ctx, setExit, async (run, flags: BackupFlags) => {
      const root = await resolveRootFlag(run.cwd, flags.root);
      const timeoutSeconds = parseTimeout(flags.timeout);
      const lockWaitMs = parseLockWait(flags.lockWait);
      const stack = await openStackFromOptions({ cwd: run.cwd, configPath: flags.config, installDir: flags.installDir, root }, run.env);
      const r = await withProgress(ctx, flags.json, BACKUP_STEPS, (p) =>
        runBackup({ stack, output: flags.output ? path.resolve(run.cwd, flags.output) : undefined, withRegistryData: Boolean(flags.withRegistryData), now: new Date(), timeoutSeconds, lockWaitMs }, p),
      );
      const m = r.manifest;
      return {
        exitCode: ExitCode.ok,
        data: { dir: r.dir, harborVersion: m.harborVersion, databases: m.databases.map((d) => d.name), externalDatabases: m.databases.filter((d) => d.external).map((d) => ({ name: d.name, ...d.external })), rowCounts: m.rowCounts, files: m.parts.length, bytes: r.bytes, registryData: m.registryData, notes: m.notes, restarted: r.restarted },
        lines: [
          `backup of Harbor ${m.harborVersion} written to ${r.dir}`,
          `  ${m.parts.length} files, ${r.bytes} bytes; databases: ${m.databases.map((d) => (d.external ? `${d.name} (external ${d.external.username}@${d.external.host}:${d.external.port}/${d.external.dbName})` : d.name)).join(', ') || 'none'}`,
          `  rows: ${formatCounts(m.rowCounts)}`,
          ...m.notes.map((n) => `  note: ${n}`),
        ],
        next: [commandLine(['restore'], [['--from', r.dir], ['--config', flags.config], ['--install-dir', flags.installDir], ['--root', flags.root]]) + '   (to restore it)'],
      };
    }),
  );
}

