/**
 * Executing an upgrade plan, hop by hop:
 *
 *   backup (src/backup/backup.ts) → migrate harbor.yml to the hop's line (src/migrate) →
 *   install with the health gate (prepare for the hop's release, compose down/up) →
 *   schema_migrations not dirty, row counts as in the backup → next hop.
 *
 * On a failure the stack is left down and the result names the last good backup and the exact
 * `regctl restore` command; with rollbackOnFailure that restore is run here.
 */
import { ExitCode, RegctlError } from '../errors.js';
import type { ProgressReporter } from '../install/progress.js';
import { openStackFromOptions } from '../install/stack.js';
import { runInstall, INSTALL_STEPS } from '../install/run.js';
import { runPrepare } from '../prepare/run.js';
import { runMigrate } from '../migrate/run.js';
import { BACKUP_STEPS, runBackup } from '../backup/backup.js';
import { RESTORE_STEPS, runRestore } from '../backup/restore.js';
import { psql, type DatabaseTarget } from '../backup/db-exec.js';
import { coreDatabase } from '../backup/install-databases.js';
import { countDifferences, rowCounts } from '../backup/row-counts.js';
import type { Hop } from './plan.js';

export interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  configPath: string;
  installDir?: string;
  root?: string;
  imagePrefix?: string;
  timeoutSeconds: number;
  rollbackOnFailure: boolean;
  withTrivy: boolean;
  withNotary: boolean;
  /** a progress display for each phase (backup, install, restore) of each hop */
  reporter: (steps: readonly { id: string; title: string }[]) => ProgressReporter;
  /** builds the restore command line for a backup dir */
  restoreCommand: (dir: string) => string;
}

export interface HopOutcome {
  version: string;
  backup: string;
  ok: boolean;
}

export interface ExecuteResult {
  ok: boolean;
  hops: HopOutcome[];
  failure?: { hop: string; message: string; backup: string; restoreCommand: string; rolledBack: boolean };
}

/** golang-migrate's table: dirty after a migration stopped half way; absent when core never migrated */
async function schemaState(cli: Parameters<typeof psql>[0], db: DatabaseTarget): Promise<{ version?: number; dirty: boolean } | 'absent'> {
  const rows = await psql(cli, db, "SELECT CASE WHEN to_regclass('public.schema_migrations') IS NULL THEN 'absent' ELSE (SELECT coalesce(max(version)::text, '') || ' ' || bool_or(dirty)::text FROM schema_migrations) END;");
  const v = rows[0] ?? 'absent';
  if (v === 'absent') return 'absent';
  const [version, dirty] = v.split(' ');
  return { version: version ? Number(version) : undefined, dirty: dirty === 'true' };
}

async function runHop(opts: ExecuteOptions, hop: Hop, progressBackup: string[]): Promise<void> {
  const stackOpts = { cwd: opts.cwd, configPath: opts.configPath, installDir: opts.installDir, root: opts.root };
  const stack = await openStackFromOptions(stackOpts, opts.env);
  const backup = await runBackup({ stack, withRegistryData: false, now: new Date(), timeoutSeconds: opts.timeoutSeconds }, opts.reporter(BACKUP_STEPS));
  if (!backup.manifest.databases.some((d) => d.name === 'registry')) {
    // nothing has changed yet; a hop without a dump of core's database could not be rolled back
    throw new RegctlError('E_UPGRADE_NO_DB_BACKUP', `the backup before the hop to ${hop.version} (${backup.dir}) holds no dump of Harbor's database: ${backup.manifest.notes.join('; ') || 'none was found'}`, {
      exitCode: ExitCode.failure,
      fix: 'make the external database reachable from this host (regctl backup says whether it is), then run the upgrade again; nothing was upgraded',
    });
  }
  progressBackup.push(backup.dir);
  const migrated = await runMigrate({ cwd: opts.cwd, configPath: opts.configPath, to: hop.version, dryRun: false, force: true, root: opts.root });
  if (migrated.nextSteps.length) {
    throw new RegctlError('E_UPGRADE_MIGRATE', `harbor.yml needs changes before Harbor ${hop.version} accepts it: ${migrated.nextSteps.map((p) => p.message).join('; ')}`, { exitCode: ExitCode.failure, fix: 'edit harbor.yml as said, then restore and upgrade again' });
  }
  const installed = await runInstall(
    { cwd: opts.cwd, env: opts.env, configPath: opts.configPath, installDir: opts.installDir, root: opts.root, withTrivy: opts.withTrivy, withNotary: opts.withNotary, harborVersion: hop.version, imagePrefix: opts.imagePrefix, timeoutSeconds: opts.timeoutSeconds, yes: true, systemd: false },
    { prepare: runPrepare },
    opts.reporter(INSTALL_STEPS),
  );
  if (!installed.ok) throw new RegctlError('E_NOT_HEALTHY', `Harbor ${hop.version} did not become healthy: ${installed.unready.slice(0, 3).join(' | ')}`, { exitCode: ExitCode.failure, fix: 'see the restore command below' });
  const after = await openStackFromOptions(stackOpts, opts.env);
  const db = coreDatabase(after.target, after.services);
  const schema = await schemaState(after.cli, db);
  if (schema !== 'absent' && schema.dirty) throw new RegctlError('E_UPGRADE_DIRTY', `schema_migrations is dirty at version ${schema.version} after Harbor ${hop.version} started: a migration stopped half way`, { exitCode: ExitCode.failure, fix: 'restore the backup below' });
  const diff = countDifferences(backup.manifest.rowCounts, await rowCounts(after.cli, db));
  if (diff.length) throw new RegctlError('E_UPGRADE_ROWS', `rows changed across the hop to ${hop.version}: ${diff.join('; ')}`, { exitCode: ExitCode.failure, fix: 'restore the backup below' });
}

export async function executeUpgrade(opts: ExecuteOptions, hops: Hop[]): Promise<ExecuteResult> {
  const done: HopOutcome[] = [];
  for (const hop of hops) {
    const backups: string[] = [];
    try {
      await runHop(opts, hop, backups);
      done.push({ version: hop.version, backup: backups[0]!, ok: true });
    } catch (err) {
      const backup = backups[0] ?? done[done.length - 1]?.backup;
      if (!backup) throw err; // nothing was changed yet: the backup itself failed
      const message = err instanceof RegctlError ? err.message : String(err);
      done.push({ version: hop.version, backup, ok: false });
      await stopStack(opts);
      let rolledBack = false;
      if (opts.rollbackOnFailure) {
        const r = await runRestore({ from: backup, cwd: opts.cwd, env: opts.env, configPath: opts.configPath, installDir: opts.installDir, root: opts.root, yes: true, forceSecretkey: false, otherLine: true, timeoutSeconds: opts.timeoutSeconds }, opts.reporter(RESTORE_STEPS));
        rolledBack = r.healthy && !r.differences.length;
      }
      return { ok: false, hops: done, failure: { hop: hop.version, message, backup, restoreCommand: opts.restoreCommand(backup), rolledBack } };
    }
  }
  return { ok: true, hops: done };
}

async function stopStack(opts: ExecuteOptions): Promise<void> {
  const stack = await openStackFromOptions({ cwd: opts.cwd, configPath: opts.configPath, installDir: opts.installDir, root: opts.root }, opts.env);
  await stack.project.down();
}
