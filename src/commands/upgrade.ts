import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { commandLine, jsonOption, resolveRootFlag, rootOption } from './flags.js';
import { ExitCode, RegctlError, problem, type Problem } from '../errors.js';
import { resolveInstallation } from '../installation/installation.js';
import { INSTALLATION_RECORD } from '../installation/record.js';
import { readDatabaseLayout } from '../installation/database-layout.js';
import { databaseState, INPUT_BLOCKS, planUpgrade, type DatabaseState, type UpgradePlan } from '../upgrade/plan.js';
import { findLine, harborLines, parseVersion } from '../upgrade/lines.js';
import { executeCommand } from './upgrade-execute.js';

interface UpgradeFlags {
  to: string;
  config?: string;
  installDir?: string;
  plan?: boolean;
  yes?: boolean;
  rollbackOnFailure?: boolean;
  imagePrefix?: string;
  timeout: string;
  root?: string;
  json?: boolean;
}

function describeDatabase(db: DatabaseState): string {
  switch (db.kind) {
    case 'external':
      return 'external database (no PostgreSQL constraint on the hops)';
    case 'empty':
      return 'no database cluster in data_volume/database';
    case 'cluster':
      return `PostgreSQL ${db.major} in data_volume/database/pg${db.major}`;
    case 'legacy':
      return `PostgreSQL ${db.written} in data_volume/database (the layout before Harbor 2.3)`;
    case 'multiple':
      return `PostgreSQL ${db.majors.join(' and ')} clusters in data_volume/database`;
  }
}

function planLines(plan: UpgradePlan, db: DatabaseState): string[] {
  const lines = [`upgrade plan: Harbor ${plan.from} -> ${plan.to}`, `database: ${describeDatabase(db)}`];
  if (plan.blocked) return [...lines, 'blocked (see the error below)'];
  let pg = db.kind === 'cluster' ? db.major : undefined;
  plan.hops.forEach((hop, i) => {
    const pgText = hop.postgres === null ? '' : pg !== undefined && pg !== hop.postgres ? `  PostgreSQL ${pg} -> ${hop.postgres} on first start` : `  PostgreSQL ${hop.postgres}`;
    lines.push(`  ${i + 1}. Harbor ${hop.version}${pgText}${hop.renderable ? '' : '  (regctl cannot render this release yet)'}`);
    if (hop.postgres !== null) pg = hop.postgres;
  });
  lines.push(`${plan.hops.length} hop${plan.hops.length === 1 ? '' : 's'}; nothing was changed (--plan)`);
  return lines;
}

/** --to is a version; executing (no --plan) is confirmed with --yes */
function checkUpgradeFlags(flags: UpgradeFlags): void {
  if (!parseVersion(flags.to)) {
    throw new RegctlError('E_USAGE', `--to must be a release X.Y.Z, got '${flags.to}'`, { key: '--to', exitCode: ExitCode.invalidInput, fix: `for example --to ${harborLines[harborLines.length - 1]!.version}` });
  }
  if (!flags.plan && !flags.yes) {
    throw new RegctlError('E_CONFIRM', 'executing an upgrade restarts Harbor once per hop and needs --yes', {
      exitCode: ExitCode.invalidInput,
      fix: `see the hops first: ${commandLine(['upgrade'], [['--to', flags.to], ['--plan', true], ['--config', flags.config], ['--install-dir', flags.installDir], ['--root', flags.root]])}; then run it with --yes`,
    });
  }
}

/** What the plan warns about: no cluster found, hops this regctl cannot render. */
function planFindings(plan: UpgradePlan, database: DatabaseState, dataVolume: string, installedPostgres: number | undefined): Problem[] {
  const findings: Problem[] = [];
  if (!plan.blocked && database.kind === 'empty') {
    findings.push(
      problem('warning', 'W_UPGRADE_NO_DATABASE', `${path.join(dataVolume, 'database')} holds no PostgreSQL cluster: the plan assumes the one Harbor ${plan.from} creates (PostgreSQL ${installedPostgres ?? 'unknown'})`, {
        fix: 'if this Harbor has already run, its data is elsewhere: a harbor-db that finds no cluster starts an empty database; check data_volume in the config',
      }),
    );
  }
  const unrenderable = plan.hops.filter((h) => !h.renderable).map((h) => h.version);
  if (unrenderable.length) {
    findings.push(
      problem('warning', 'W_UPGRADE_NOT_RENDERABLE', `this regctl cannot render Harbor ${unrenderable.join(', ')} yet; the plan needs ${unrenderable.length === 1 ? 'it' : 'them'}`, {
        fix: "those hops need Harbor's own installer (prepare) of that release, or a regctl that supports it",
      }),
    );
  }
  return findings;
}

async function runUpgrade(ctx: CliContext, run: CliContext, flags: UpgradeFlags) {
  const root = await resolveRootFlag(run.cwd, flags.root);
  checkUpgradeFlags(flags);
  const { target, problems } = await resolveInstallation({ cwd: run.cwd, configPath: flags.config, installDir: flags.installDir, root });
  if (!target.record) {
    throw new RegctlError('E_UPGRADE_NO_RECORD', `${path.join(target.installDir, INSTALLATION_RECORD)} does not exist: regctl does not know which Harbor release this install runs`, {
      exitCode: ExitCode.invalidInput,
      fix: `render the install dir for the release it runs, which writes the record: ${commandLine(['prepare'], [['--config', target.config.source.file], ['--install-dir', flags.installDir], ['--root', flags.root], ['--harbor-version', 'X.Y.Z']])}; then plan again`,
    });
  }
  const database = databaseState(target.config.database.external ? 'external' : await readDatabaseLayout(target.dataVolume));
  const from = target.record.harborVersion;
  const installedPostgres = target.release.version === from ? target.release.database?.postgresMajor : findLine(from)?.postgresMajor;
  const plan = planUpgrade({ from, to: flags.to, database, installedPostgres });
  const findings: Problem[] = [...problems, ...planFindings(plan, database, target.dataVolume, installedPostgres)];
  const unrenderable = plan.hops.filter((h) => !h.renderable).map((h) => h.version);
  if (!flags.plan && !plan.blocked) {
    if (unrenderable.length) throw new RegctlError('E_UPGRADE_NOT_RENDERABLE', `this regctl cannot render Harbor ${unrenderable.join(', ')}, which the plan needs`, { exitCode: ExitCode.failure, fix: 'upgrade through those releases with their own installer, or use a regctl that supports them' });
    return executeCommand(ctx, run, flags, root, target.config.source.file, target.record, plan);
  }
  const error: Problem | undefined = plan.blocked ? { severity: 'error', code: plan.blocked.code, message: plan.blocked.reason, fix: plan.blocked.fix } : undefined;
  const exitCode = !plan.blocked ? ExitCode.ok : INPUT_BLOCKS.has(plan.blocked.code) ? ExitCode.invalidInput : ExitCode.failure;
  return {
    exitCode,
    data: { ...plan, database: { kind: database.kind, ...(database.kind === 'cluster' ? { postgres: database.major } : database.kind === 'multiple' ? { postgres: database.majors } : {}) } },
    findings,
    lines: planLines(plan, database),
    ...(error ? { error } : {}),
  };
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('upgrade')
    .description('plan the upgrade of an installed Harbor to a newer release: the hops of at most two minor versions its database can take')
    .requiredOption('--to <x.y.z>', `the Harbor release to upgrade to: ${harborLines.map((l) => l.version).join(', ')}`)
    .option('-c, --config <file>', 'harbor.yml of the installation (default: ./harbor.yml, else ./harbor.cfg)')
    .option('--install-dir <dir>', 'directory holding docker-compose.yml (default: the config file directory)')
    .option('--plan', 'print the plan and change nothing')
    .option('-y, --yes', 'execute the hops (each restarts Harbor); without --plan it is required')
    .option('--rollback-on-failure', 'when a hop fails, restore the backup taken before it (otherwise the stack is left down and the restore command printed)')
    .option('--image-prefix <prefix>', "registry/namespace of the images instead of 'goharbor' (offline mirrors)")
    .option('--timeout <seconds>', 'per hop: how long to wait for a healthy stack', '300');
  rootOption(cmd);
  jsonOption(cmd, 'print the result envelope; data is {from, to, hops: [{version, postgres, renderable}], blocked, database}')
    .addHelpText(
      'after',
      `
Reads the release the install dir was rendered for (${INSTALLATION_RECORD}) and the PostgreSQL
cluster in data_volume/database, and prints the shortest sequence of hops, each at most two minor
versions forward, whose database images can each start on what the previous one left. The exit code
is 1 when the data blocks every plan, 2 for a target that is unknown, older or the same.

Examples:
  regctl upgrade --to 2.15.2 --plan --config /opt/harbor/harbor.yml
  regctl upgrade --to 2.15.2 --plan --json | jq '.data.hops'`,
    )
    .action(action(ctx, setExit, (run, flags: UpgradeFlags) => runUpgrade(ctx, run, flags)));
}
