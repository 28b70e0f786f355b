import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { ExitCode, RegctlError } from '../errors.js';
import { reportError } from '../output.js';
import { runPrepare } from '../prepare/run.js';
import { runInstall, INSTALL_STEPS, type InstallResult } from '../install/run.js';
import { createReporter, type ProgressMode } from '../install/progress.js';

interface InstallFlags {
  config?: string;
  installDir?: string;
  root?: string;
  withTrivy?: boolean;
  withNotary?: boolean;
  imagePrefix?: string;
  bundle?: string;
  timeout: string;
  yes?: boolean;
  systemd?: boolean;
  json?: boolean;
}

function parseTimeout(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new RegctlError('E_USAGE', `--timeout must be a whole number of seconds, got '${v}'`, { exitCode: ExitCode.invalidInput, fix: 'for example --timeout 600' });
  }
  return n;
}

function resultEvent(r: InstallResult): Record<string, unknown> {
  return {
    event: 'result',
    ok: r.ok,
    url: r.url,
    containers: r.containers,
    endpoints: r.endpoints,
    unready: r.unready,
    unitFile: r.unitFile,
    backup: r.backup,
    timings: r.timings,
  };
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('install')
    .description('check the host, render the configuration, start Harbor and wait until it answers healthy through its proxy')
    .option('-c, --config <file>', 'harbor.yml or harbor.cfg (default: ./harbor.yml, else ./harbor.cfg)')
    .option('--install-dir <dir>', 'where docker-compose.yml and common/config go (default: the config file directory)')
    .option('--root <dir>', 'prefix for every absolute host path regctl writes (chroots, image builds)')
    .option('--with-trivy', 'include the Trivy scanner')
    .option('--with-notary', '(removed from Harbor in 2.9; rejected with an explanation)')
    .option('--image-prefix <prefix>', "registry/namespace of the images instead of 'goharbor' (offline mirrors)")
    .option('--bundle <file>', 'offline installer image tarball (harbor.vX.Y.Z.tar.gz) to docker load first')
    .option('--timeout <seconds>', 'how long to wait for healthy containers and endpoints', '300')
    .option('-y, --yes', 'restart a running Harbor without asking')
    .option('--systemd', 'write a systemd unit that starts this stack at boot (under --root)')
    .option('--json', 'one JSON event per line (steps, notes, result)')
    .addHelpText(
      'after',
      `
Steps: doctor, prepare, [load --bundle], check images, back up data_volume/secret, compose down
(volumes kept), compose up -d (log service first), wait until running and healthy, check
/api/v2.0/health and /v2/ through the proxy, [systemd unit], summary. On timeout each container
that is not ready is shown with its last 20 log lines, and nothing is removed.

Examples:
  regctl install --config /opt/harbor/harbor.yml
  regctl install --bundle harbor.v2.15.2.tar.gz --systemd
  regctl install --yes --json | jq -c 'select(.event == "result")'`,
    )
    .action(
      action(ctx, setExit, async (flags: InstallFlags) => {
        const mode: ProgressMode = flags.json ? 'json' : ctx.isTTY ? 'tty' : 'plain';
        const steps = INSTALL_STEPS.map((s) => ({ ...s }));
        const reporter = createReporter(mode, steps, {
          print: (l) => ctx.out.info(l),
          write: (t) => void process.stdout.write(t),
          columns: () => process.stdout.columns || 100,
        });
        let result: InstallResult;
        try {
          if (flags.withNotary) {
            throw new RegctlError('E_NOTARY_REMOVED', 'Notary was removed from Harbor in v2.9; --with-notary cannot be honoured', {
              exitCode: ExitCode.invalidInput,
              fix: 'drop --with-notary: Harbor signs and verifies artifacts with Cosign/Notation instead',
            });
          }
          const interactive = mode === 'tty' && Boolean(process.stdin.isTTY);
          result = await runInstall(
            {
              cwd: ctx.cwd,
              env: ctx.env,
              configPath: flags.config,
              installDir: flags.installDir,
              root: flags.root,
              withTrivy: Boolean(flags.withTrivy),
              imagePrefix: flags.imagePrefix,
              bundle: flags.bundle,
              timeoutSeconds: parseTimeout(flags.timeout),
              yes: Boolean(flags.yes),
              systemd: Boolean(flags.systemd),
            },
            {
              prepare: runPrepare,
              confirm: interactive
                ? async (message) => {
                    const { confirm } = await import('@inquirer/prompts');
                    return confirm({ message, default: false });
                  }
                : undefined,
            },
            reporter,
          );
        } catch (err) {
          reporter.failRunning(err instanceof RegctlError ? err.message : 'internal error');
          reporter.skipPending('not reached');
          reporter.close();
          if (flags.json && err instanceof RegctlError) {
            ctx.out.info(JSON.stringify({ event: 'result', ok: false, error: { code: err.code, message: err.message, fix: err.fix, ...err.location }, problems: err.problems }));
            return err.exitCode;
          }
          throw err;
        }
        reporter.close();
        if (flags.json) {
          ctx.out.info(JSON.stringify(resultEvent(result)));
          return result.ok ? ExitCode.ok : ExitCode.failure;
        }
        if (result.ok) {
          for (const l of result.summary) ctx.out.info(l);
          return ExitCode.ok;
        }
        for (const l of result.unready) ctx.out.error(l);
        return reportError(
          ctx.out,
          new RegctlError('E_NOT_HEALTHY', `Harbor did not become healthy within ${flags.timeout}s (see above); nothing was removed`, {
            fix: 'fix the cause shown in the logs, then run regctl install again; `regctl status` and `regctl logs SERVICE` show the current state',
          }),
        );
      }),
    );
}
