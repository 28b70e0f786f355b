import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { ExitCode } from '../errors.js';
import { reportProblems } from '../output.js';
import { runDoctor } from '../doctor/run.js';
import { printResults } from '../doctor/report.js';
import { resolveOptionalInstallation } from '../installation/installation.js';

interface DoctorFlags {
  config?: string;
  installDir?: string;
  root?: string;
  withTrivy?: boolean;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('doctor')
    .description('check this host before installing: Docker engine and compose, free ports, container names, disk space, localhost, SELinux, the https certificate')
    .option('-c, --config <file>', 'harbor.yml or harbor.cfg (default: ./harbor.yml, else ./harbor.cfg; without one only host checks run)')
    .option('--install-dir <dir>', 'directory holding docker-compose.yml (default: the config file directory)')
    .option('--root <dir>', 'prefix for every absolute host path (tests, chroots)')
    .option('--with-trivy', 'check for a stack that includes Trivy')
    .option('--json', 'print [{check, status, detail, fix}] as JSON')
    .addHelpText(
      'after',
      `
Each check prints pass, warn or fail with a one-line fix; the exit code is 1 when any check fails.

Examples:
  regctl doctor --config /opt/harbor/harbor.yml
  regctl doctor --json | jq '.[] | select(.status != "pass")'`,
    )
    .action(
      action(
        ctx,
        setExit,
        async (flags: DoctorFlags) => {
          const { target, problems } = await resolveOptionalInstallation({
            cwd: ctx.cwd,
            configPath: flags.config,
            installDir: flags.installDir,
            root: flags.root,
            withTrivy: flags.withTrivy,
          });
          const report = await runDoctor({ env: ctx.env, target });
          if (flags.json) {
            ctx.out.json(report.results);
          } else {
            reportProblems(ctx.out, problems);
            if (!target) ctx.out.info('no harbor.yml here and no --config: running the host checks only');
            printResults(ctx.out, report.results);
          }
          return report.failed ? ExitCode.failure : ExitCode.ok;
        },
        (flags: DoctorFlags) => Boolean(flags.json),
      ),
    );
}
