import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { ExitCode, RegctlError, type Problem } from '../errors.js';
import { WITH_NOTARY_HELP, harborVersionOption, lockWaitOption, parseLockWait, parseTimeout, resolveRootFlag, ROOT_HELP } from './flags.js';
import { runPrepare } from '../prepare/run.js';
import { runInstall, INSTALL_STEPS, type InstallResult } from '../install/run.js';
import type { ProgressMode } from '../install/progress.js';
import { withProgress } from './progress-run.js';
import { runRegistryInstall, REGISTRY_INSTALL_STEPS } from '../registry-profile/install.js';
import type { CommandResult } from './result.js';
import { verifyInstalled } from '../verify/after-install.js';
import { verifyResult } from '../verify/result.js';
import { runVerify, VERIFY_STEPS } from '../verify/run.js';
import { parseTarget } from '../registry-client/target.js';
import { openRegistry } from '../registry-client/open.js';
import { flagCredentials } from './registry/connection.js';
import { underRoot } from '../util/root.js';

interface InstallFlags {
  config?: string;
  installDir?: string;
  root?: string;
  withTrivy?: boolean;
  withNotary?: boolean;
  harborVersion?: string;
  imagePrefix?: string;
  bundle?: string;
  timeout: string;
  yes?: boolean;
  systemd?: boolean;
  json?: boolean;
  lockWait?: string;
  profile: string;
  generateCerts?: boolean;
  insecure?: boolean;
  verify?: boolean;
  username?: string;
  passwordStdin?: boolean;
}

const PROFILES = ['harbor', 'registry'] as const;

function resultData(r: InstallResult): Record<string, unknown> {
  return {
    url: r.url,
    containers: r.containers,
    endpoints: r.endpoints,
    unready: r.unready,
    unitFile: r.unitFile,
    backup: r.backup,
    timings: r.timings,
  };
}

function checkProfileFlags(flags: InstallFlags): void {
  if (!(PROFILES as readonly string[]).includes(flags.profile)) {
    throw new RegctlError('E_USAGE', `unknown --profile '${flags.profile}'`, { exitCode: ExitCode.invalidInput, fix: `one of: ${PROFILES.join(', ')}` });
  }
  if (flags.profile === 'harbor' && (flags.generateCerts || flags.insecure)) {
    throw new RegctlError('E_USAGE', '--generate-certs and --insecure belong to --profile registry', {
      exitCode: ExitCode.invalidInput,
      fix: 'for Harbor, use regctl prepare --generate-certs and the protocol in harbor.yml; or add --profile registry',
    });
  }
  if (flags.profile === 'registry' && flags.verify && !(flags.username && flags.passwordStdin)) {
    throw new RegctlError('E_USAGE', '--verify of --profile registry logs in as one of its htpasswd users: install needs --username USER --password-stdin', {
      exitCode: ExitCode.invalidInput,
      fix: `printf '%s' "$PASSWORD" | regctl install --profile registry --config ${flags.config ?? 'registry.yml'} --verify --username USER --password-stdin`,
    });
  }
  if ((flags.username || flags.passwordStdin) && !(flags.profile === 'registry' && flags.verify)) {
    throw new RegctlError('E_USAGE', flags.profile === 'registry' ? '--username and --password-stdin are for --verify' : "--username and --password-stdin belong to --profile registry --verify: Harbor's --verify logs in as admin with harbor_admin_password", {
      exitCode: ExitCode.invalidInput,
      fix: flags.profile === 'registry' ? 'add --verify, or leave them out' : 'leave them out',
    });
  }
  const harborOnly = (['withTrivy', 'withNotary', 'harborVersion', 'bundle', 'imagePrefix'] as const).filter((k) => flags[k] !== undefined && flags[k] !== false);
  if (flags.profile === 'registry' && harborOnly.length) {
    throw new RegctlError('E_USAGE', `--profile registry does not take ${harborOnly.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ')}`, {
      exitCode: ExitCode.invalidInput,
      fix: 'set image: in registry.yml for another image; the other flags are for Harbor',
    });
  }
}

async function installRegistry(run: CliContext, flags: InstallFlags): Promise<CommandResult> {
  // the password is read before anything changes: an empty stdin stops the run here
  const findings: Problem[] = [];
  const credentials = flags.verify ? await flagCredentials({ username: flags.username, passwordStdin: flags.passwordStdin }, findings) : undefined;
  const r = await withProgress(run, flags.json, REGISTRY_INSTALL_STEPS, async (reporter) =>
    runRegistryInstall(
      {
        cwd: run.cwd,
        env: run.env,
        configPath: flags.config,
        installDir: flags.installDir,
        root: await resolveRootFlag(run.cwd, flags.root),
        insecure: Boolean(flags.insecure),
        generateCerts: Boolean(flags.generateCerts),
        systemd: Boolean(flags.systemd),
        timeoutSeconds: parseTimeout(flags.timeout),
        lockWaitMs: parseLockWait(flags.lockWait),
      },
      reporter,
    ),
  );
  const { summary, ...data } = r;
  if (!credentials) return { exitCode: ExitCode.ok, data: { profile: 'registry', ...data }, lines: summary };
  const root = await resolveRootFlag(run.cwd, flags.root);
  const target = parseTarget(`${flags.insecure ? 'http://' : ''}${r.registry}`, { repository: false });
  const verified = verifyResult(
    await withProgress(run, flags.json, VERIFY_STEPS, async (reporter) => {
      // the CA --generate-certs made, when there is one; else certs.d and the system store, as clients do
      const { client: api, anchors } = await openRegistry({ target, root, caFile: r.caFile ? underRoot(root, r.caFile) : undefined, credentials });
      return runVerify({ target, api, anchors, credentials, client: 'docker', env: run.env }, reporter);
    }),
  );
  return { ...verified, findings: [...findings, ...(verified.findings ?? [])], data: { profile: 'registry', ...data, verify: verified.data }, lines: [...summary, ...(verified.lines ?? [])] };
}

/** --verify after the health gate: verify's steps on their own progress list, its result under data.verify. */
async function withVerify(ctx: CliContext, mode: ProgressMode, result: InstallResult, opts: Parameters<typeof verifyInstalled>[0]): Promise<CommandResult> {
  // under withProgress, a verify that throws marks its running step failed and the rest not reached
  const verified = verifyResult(await withProgress(ctx, mode === 'json', VERIFY_STEPS, (reporter) => verifyInstalled(opts, reporter)));
  return { ...verified, data: { ...resultData(result), verify: verified.data }, lines: [...result.summary, ...(verified.lines ?? [])] };
}

/** The Harbor profile: runInstall behind its progress list, then --verify when it ended healthy. */
async function installHarbor(ctx: CliContext, run: CliContext, flags: InstallFlags, mode: ProgressMode): Promise<CommandResult> {
  // progress events go to stdout as JSON Lines under --json, before the result envelope
  const result: InstallResult = await withProgress(ctx, flags.json, INSTALL_STEPS, async (reporter) => {
    const interactive = mode === 'tty' && Boolean(process.stdin.isTTY);
    return runInstall(
      {
        cwd: run.cwd,
        env: run.env,
        configPath: flags.config,
        installDir: flags.installDir,
        root: await resolveRootFlag(run.cwd, flags.root),
        withTrivy: Boolean(flags.withTrivy),
        withNotary: Boolean(flags.withNotary),
        harborVersion: flags.harborVersion,
        imagePrefix: flags.imagePrefix,
        bundle: flags.bundle,
        timeoutSeconds: parseTimeout(flags.timeout),
        yes: Boolean(flags.yes),
        systemd: Boolean(flags.systemd),
        lockWaitMs: parseLockWait(flags.lockWait),
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
  });
  if (result.ok && flags.verify) return withVerify(ctx, mode, result, { cwd: run.cwd, env: run.env, configPath: flags.config, installDir: flags.installDir, root: await resolveRootFlag(run.cwd, flags.root), withTrivy: flags.withTrivy, withNotary: flags.withNotary, harborVersion: flags.harborVersion });
  if (result.ok) return { exitCode: ExitCode.ok, data: resultData(result), lines: result.summary };
  return {
    exitCode: ExitCode.failure,
    data: resultData(result),
    lines: result.unready,
    error: {
      severity: 'error',
      code: 'E_NOT_HEALTHY',
      message: `Harbor did not become healthy within ${flags.timeout}s (see above); nothing was removed`,
      fix: 'fix the cause shown in the logs, then run regctl install again; `regctl status` and `regctl logs SERVICE` show the current state',
    },
  };
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  lockWaitOption(harborVersionOption(
    program
      .command('install')
      .description('check the host, render the configuration, start Harbor and wait until it answers healthy through its proxy')
      .option('--profile <name>', `what to install: ${PROFILES.join(' or ')} (a plain distribution registry with TLS and htpasswd users, configured by registry.yml)`, 'harbor')
      .option('-c, --config <file>', 'harbor.yml or harbor.cfg (default: ./harbor.yml, else ./harbor.cfg); registry.yml for --profile registry')
      .option('--generate-certs', '--profile registry: create a CA (<install dir>/ca) and the server certificate when missing; kept across runs')
      .option('--insecure', "--profile registry: plain HTTP (default port 5000), clients need 'regctl cert trust --insecure'")
      .option('--install-dir <dir>', 'where docker-compose.yml and common/config go (default: the config file directory)')
      .option('--root <dir>', ROOT_HELP)
      .option('--with-trivy', 'include the Trivy scanner')
      .option('--with-notary', WITH_NOTARY_HELP)
      .option('--image-prefix <prefix>', "registry/namespace of the images instead of 'goharbor' (offline mirrors)")
      .option('--bundle <file>', 'offline installer image tarball (harbor.vX.Y.Z.tar.gz) to docker load first')
      .option('--timeout <seconds>', 'how long to wait for healthy containers and endpoints', '300')
      .option('-y, --yes', 'restart a running Harbor without asking')
      .option('--systemd', 'write a systemd unit that starts this stack at boot (under --root)')
      .option('--verify', 'then run regctl verify as admin against the installed registry (docker client; a failure exits 1); --profile registry: as --username')
      .option('--username <user>', '--profile registry --verify: the htpasswd user to verify as')
      .option('--password-stdin', '--profile registry --verify: read that user\'s password from stdin'),
  ))
    .option('--json', 'JSON Lines: one event per step and note, then the result envelope (see regctl --help)')
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
  regctl install --harbor-version 2.8.6 --with-notary   # Notary (https only): the 2.8 line
  regctl install --yes --json | jq -c 'select(.event == "result")'
  regctl install --verify   # then log in, push, pull and delete a probe image as admin
  regctl install --profile registry --config registry.yml --generate-certs
  regctl install --profile registry --config registry.yml --insecure   # the bare HTTP registry on :5000
  printf '%s' "$PASSWORD" | regctl install --profile registry --config registry.yml --verify --username alice --password-stdin

--profile registry runs one distribution container (image: registry:2 unless registry.yml sets
image:) with the same steps: doctor, render through the atomic writer, compose down/up, wait until
healthy, GET /v2/ must answer 401. status, down and logs find it from its installation record.`,
    )
    .action(
      action(ctx, setExit, async (run, flags: InstallFlags) => {
        const mode: ProgressMode = flags.json ? 'json' : ctx.isTTY ? 'tty' : 'plain';
        checkProfileFlags(flags);
        if (flags.profile === 'registry') return installRegistry(run, flags);
        return installHarbor(ctx, run, flags, mode);
      }),
    );
}
