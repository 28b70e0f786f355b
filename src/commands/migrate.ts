import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { commandLine, jsonOption, resolveRootFlag, rootOption } from './flags.js';
import { ExitCode, RegctlError } from '../errors.js';
import { defaultRelease, supportedReleasesText } from '../releases/index.js';
import { formatProblem } from '../output.js';

interface MigrateFlags {
  config?: string;
  to?: string;
  output?: string;
  dryRun?: boolean;
  force?: boolean;
  applySecrets?: boolean;
  root?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('migrate')
    .description("Convert a Harbor 1.x harbor.cfg, or a harbor.yml of an older 2.x release, into a harbor.yml for a supported release (comments, key order and every value kept)")
    .option('-c, --config <file>', 'the harbor.cfg or harbor.yml to migrate (required; only read, unless it is also the --output)')
    .option('--to <x.y.z>', `release to migrate to: ${supportedReleasesText()} (default ${defaultRelease.version.replace(/^v/, '')})`)
    .option('--output <file>', 'where the new harbor.yml goes (default: harbor.yml next to a harbor.cfg; the input itself for a harbor.yml); an existing file needs --force')
    .option('--force', 'replace an existing --output (replacing the input keeps the original as FILE.<old _version>.bak)')
    .option('--dry-run', 'print the change as a unified diff (secrets masked) and the report; write nothing')
    .option('--apply-secrets', "harbor.cfg: copy the secretkey (and defaultalias) from secretkey_path to data_volume/secret/keys/, never over a different one");
  rootOption(cmd);
  jsonOption(cmd)
    .addHelpText(
      'after',
      `
Examples:
  regctl migrate --config /opt/harbor/harbor.yml --dry-run        # a 2.8 harbor.yml: the diff to 2.15
  regctl migrate --config /opt/harbor/harbor.yml --force          # in place, original kept as harbor.yml.2.8.0.bak
  regctl migrate --config harbor.cfg --output harbor.yml          # Harbor 1.x: harbor.yml + a report of the settings now in the database
  regctl migrate --config harbor.cfg --apply-secrets              # also carry the secretkey over (encrypted passwords stay readable)

Exit codes: 0 written (or nothing to do), 2 invalid input, an unknown or newer _version, or an existing --output without --force (nothing written), 1 other failure.`,
    )
    .action(
      action(ctx, setExit, async (run, flags: MigrateFlags) => {
        const root = await resolveRootFlag(run.cwd, flags.root);
        if (!flags.config) {
          throw new RegctlError('E_USAGE', 'regctl migrate needs --config FILE: the harbor.cfg or harbor.yml to migrate', { exitCode: ExitCode.invalidInput, fix: 'for example regctl migrate --config /opt/harbor/harbor.yml --dry-run' });
        }
        const { runMigrate, targetText } = await import('../migrate/run.js');
        const r = await runMigrate({
          cwd: run.cwd,
          configPath: flags.config!,
          to: flags.to,
          output: flags.output,
          dryRun: Boolean(flags.dryRun),
          force: Boolean(flags.force),
          applySecrets: Boolean(flags.applySecrets),
          root,
        });
        const lines: string[] = [];
        if (r.diff) lines.push(...r.diff.replace(/\n$/, '').split('\n'));
        if (r.report) lines.push(...r.report);
        const what = `${r.input} (${r.inputFormat === 'cfg' ? `harbor.cfg, Harbor ${r.from}` : `schema ${r.from}`}) → ${targetText(r.release)}`;
        if (r.changes.length === 0 && r.inputFormat === 'yml' && !r.wrote) lines.push(`${r.input} is already a harbor.yml for schema ${r.to}; nothing to do`);
        else if (r.wrote) lines.push(`wrote ${r.output}: ${what}${r.backup ? `; the original is kept as ${r.backup}` : ''}`);
        else if (flags.dryRun) lines.push(`would write ${r.output}: ${what} (--dry-run: nothing written)`);
        for (const c of r.changes) lines.push(`  ${c}`);
        if (r.nextSteps.length) {
          lines.push(`before \`regctl prepare\` accepts ${r.output}, ${r.nextSteps.length === 1 ? 'one thing needs' : `${r.nextSteps.length} things need`} you:`);
          for (const p of r.nextSteps) lines.push(`  - ${formatProblem({ ...p, severity: 'note' }).replace(/^note: /, '')}`);
        }
        const prepare = commandLine(['prepare'], [['--config', r.output], ['--harbor-version', r.release.version.replace(/^v/, '')], ['--root', flags.root]]);
        const next: string[] = [];
        if (flags.dryRun) next.push(`${commandLine(['migrate'], [['--config', flags.config], ['--to', flags.to], ['--output', flags.output], ['--force', flags.force], ['--apply-secrets', flags.applySecrets], ['--root', flags.root]])}   (writes it)`);
        else next.push(`${prepare}${r.nextSteps.length ? '   (after the steps above)' : ''}`);
        next.push(...(r.nextCommands ?? []));
        return {
          exitCode: ExitCode.ok,
          findings: r.findings,
          lines,
          next,
          data: {
            input: r.input,
            inputFormat: r.inputFormat,
            output: r.output,
            release: r.release.version,
            from: r.from,
            to: r.to,
            wrote: r.wrote,
            backup: r.backup,
            changes: r.changes,
            nextSteps: r.nextSteps,
            report: r.reportData,
            secrets: r.secrets,
          },
        };
      }),
    );
}
