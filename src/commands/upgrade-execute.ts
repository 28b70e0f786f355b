/** regctl upgrade without --plan: the hops executed (src/upgrade/execute.ts), reported as one result. */
import type { CliContext } from './context.js';
import type { CommandResult } from './result.js';
import { commandLine, parseTimeout } from './flags.js';
import { ExitCode } from '../errors.js';
import { createReporter, type ProgressMode } from '../install/progress.js';
import { executeUpgrade } from '../upgrade/execute.js';
import type { UpgradePlan } from '../upgrade/plan.js';
import type { InstallationRecord } from '../installation/record.js';

interface Flags {
  installDir?: string;
  root?: string;
  rollbackOnFailure?: boolean;
  imagePrefix?: string;
  timeout: string;
  json?: boolean;
}

export async function executeCommand(ctx: CliContext, run: CliContext, flags: Flags, root: string | undefined, configFile: string, record: InstallationRecord, plan: UpgradePlan): Promise<CommandResult> {
  const timeoutSeconds = parseTimeout(flags.timeout);
  const mode: ProgressMode = flags.json ? 'json' : ctx.isTTY ? 'tty' : 'plain';
  const opened: { close(): void }[] = [];
  const reporter = (steps: readonly { id: string; title: string }[]) => {
    opened.forEach((r) => r.close());
    const r = createReporter(mode, steps.map((s) => ({ ...s })), { print: (l) => ctx.out.info(l), write: (t) => ctx.write(t), columns: () => ctx.columns() || 100 });
    opened.push(r);
    return r;
  };
  const restoreCommand = (dir: string) => commandLine(['restore'], [['--from', dir], ['--config', configFile], ['--install-dir', flags.installDir], ['--root', flags.root], ['--yes', true], ['--other-line', true]]);
  const r = await executeUpgrade(
    { cwd: run.cwd, env: run.env, configPath: configFile, installDir: flags.installDir, root, imagePrefix: flags.imagePrefix, timeoutSeconds, rollbackOnFailure: Boolean(flags.rollbackOnFailure), withTrivy: record.withTrivy, withNotary: record.withNotary, reporter, restoreCommand },
    plan.hops,
  ).finally(() => opened.forEach((x) => x.close()));
  const data = { from: plan.from, to: plan.to, hops: r.hops, failure: r.failure ?? null };
  if (r.ok) return { exitCode: ExitCode.ok, data, lines: [`upgraded Harbor ${plan.from} -> ${plan.to} in ${r.hops.length} hop(s)`, ...r.hops.map((h) => `  ${h.version}: healthy, rows as before (backup ${h.backup})`)] };
  const f = r.failure!;
  return {
    exitCode: ExitCode.failure,
    data,
    lines: [`the hop to Harbor ${f.hop} failed: ${f.message}`, f.rolledBack ? `rolled back: restored ${f.backup}, the stack is healthy on the release before` : `the stack is down; the last good backup is ${f.backup}`],
    next: f.rolledBack ? [] : [f.restoreCommand],
    error: {
      severity: 'error',
      code: 'E_UPGRADE_FAILED',
      message: `the upgrade stopped at Harbor ${f.hop}: ${f.message}`,
      fix: f.rolledBack ? `the backup ${f.backup} was restored; fix the cause, then upgrade again` : `restore the last good backup: ${f.restoreCommand}`,
    },
  };
}
