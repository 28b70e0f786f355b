/** regctl down | status | logs: the lifecycle of an installed stack (one module, lazily loaded). */
import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { commandLine, lockWaitOption, parseLockWait, resolveRootFlag, rootOption, JSON_HELP } from './flags.js';
import { lockPaths } from '../util/run-lock.js';
import type { Stack } from '../install/stack.js';
import { ExitCode, RegctlError } from '../errors.js';
import { openStackFromOptions } from '../install/stack.js';
import { stackStatus, formatStatus } from '../install/status.js';
import { logTargets, printLogs } from '../install/logs.js';
import { projectContainers } from '../docker/containers.js';
import { underRoot } from '../util/root.js';
import { readRegistryRecord } from '../registry-profile/record.js';
import { openRegistryStack, registryStatus, formatRegistryStatus, type RegistryStack } from '../registry-profile/lifecycle.js';
import path from 'node:path';

interface StackFlags {
  config?: string;
  installDir?: string;
  root?: string;
}

function stackOptions(cmd: Command): Command {
  return rootOption(
    cmd
      .option('-c, --config <file>', 'harbor.yml or harbor.cfg of the installation (default: ./harbor.yml, else ./harbor.cfg)')
      .option('--install-dir <dir>', 'directory holding docker-compose.yml (default: the config file directory)'),
  );
}

async function openStackFromFlags(run: CliContext, f: StackFlags) {
  const root = await resolveRootFlag(run.cwd, f.root);
  return openStackFromOptions({ cwd: run.cwd, configPath: f.config, installDir: f.installDir, root }, run.env);
}

/**
 * The registry profile's stack when the install dir (--install-dir, else the --config file's
 * directory, else the current one) has its record: then no harbor.yml is needed.
 */
async function registryStackFromFlags(run: CliContext, f: StackFlags): Promise<RegistryStack | undefined> {
  const root = await resolveRootFlag(run.cwd, f.root);
  const dir = underRoot(root, path.resolve(run.cwd, f.installDir ?? (f.config ? path.dirname(path.resolve(run.cwd, f.config)) : '.')));
  const record = await readRegistryRecord(dir);
  return record ? openRegistryStack(record, dir, root, run.env) : undefined;
}

async function registryLogTargets(reg: RegistryStack, service: string | undefined) {
  if (service && service !== 'registry') {
    throw new RegctlError('E_NO_SUCH_SERVICE', `the registry profile has one service, registry; not '${service}'`, { exitCode: ExitCode.invalidInput, fix: 'regctl logs registry' });
  }
  const c = (await projectContainers(reg.cli, reg.project.spec.name)).find((x) => x.service === 'registry');
  return [{ service: 'registry', source: c ? ({ kind: 'docker', container: c.name } as const) : ({ kind: 'gone', container: `${reg.project.spec.name}_registry_1` } as const) }];
}

type DownFlags = StackFlags & { volumes?: boolean; yes?: boolean; lockWait?: string };

async function runDown(run: CliContext, flags: DownFlags) {
  if (flags.volumes && !flags.yes) {
    throw new RegctlError('E_USAGE', '--volumes removes Docker volumes of the stack and needs --yes to confirm; nothing was stopped', {
      exitCode: ExitCode.invalidInput,
      fix: 'run regctl down --volumes --yes, or plain regctl down to keep them',
    });
  }
  const waitMs = parseLockWait(flags.lockWait);
  const reg = await registryStackFromFlags(run, flags);
  if (reg) {
    // not while an install of the same dir runs: it would start what down just removed
    const release = await lockPaths([{ path: reg.installDir, what: 'down: install dir' }], { waitMs, onWait: (m) => run.out.info(m) });
    try {
      return await downRegistry(reg, flags);
    } finally {
      await release();
    }
  }
  const stack = await openStackFromFlags(run, flags);
  const release = await lockPaths(
    [
      { path: stack.target.installDir, what: 'down: install dir' },
      { path: stack.target.dataVolume, what: 'down: data_volume' },
    ],
    { waitMs, onWait: (m) => run.out.info(m) },
  );
  try {
    return await downHarbor(stack, flags);
  } finally {
    await release();
  }
}

async function downRegistry(reg: RegistryStack, flags: DownFlags) {
  const gone = await projectContainers(reg.cli, reg.project.spec.name);
  await reg.project.down({ volumes: Boolean(flags.volumes) });
  return {
    exitCode: ExitCode.ok,
    data: { profile: 'registry', project: reg.project.spec.name, removedContainers: gone.length, volumesRemoved: Boolean(flags.volumes) },
    lines: [`stopped and removed ${gone.length} containers of compose project ${reg.project.spec.name}; the storage directory is kept`],
    next: [commandLine(['install'], [['--profile', 'registry'], ['--config', reg.record.config], ['--root', flags.root]]) + '   (start it again)'],
  };
}

async function downHarbor(stack: Stack, flags: DownFlags) {
  const before = await projectContainers(stack.cli, stack.target.projectName);
  await stack.project.down({ volumes: Boolean(flags.volumes) });
  return {
    exitCode: ExitCode.ok,
    data: { project: stack.target.projectName, removedContainers: before.length, volumesRemoved: Boolean(flags.volumes) },
    lines: [
      before.length
        ? `stopped and removed ${before.length} containers of compose project ${stack.target.projectName} and its network`
        : `nothing to stop: compose project ${stack.target.projectName} has no containers`,
      `kept: data_volume ${stack.target.dataVolume}${flags.volumes ? '' : ', Docker volumes'}, logs ${stack.target.logDir}`,
    ],
    next: [commandLine(['install'], [['--config', stack.target.config.source.file], ['--install-dir', flags.installDir], ['--root', flags.root]]) + '   (start it again)'],
  };
}

type LogsFlags = StackFlags & { follow?: boolean; tail: string };

async function runLogs(run: CliContext, service: string | undefined, flags: LogsFlags) {
  const tail = Number(flags.tail);
  if (!Number.isInteger(tail) || tail < 0) {
    throw new RegctlError('E_USAGE', `--tail must be a whole number, got '${flags.tail}'`, { exitCode: ExitCode.invalidInput, fix: 'for example --tail 50' });
  }
  const reg = await registryStackFromFlags(run, flags);
  const stack = reg ? { cli: reg.cli } : await openStackFromFlags(run, flags);
  const targets = reg ? await registryLogTargets(reg, service) : await logTargets(stack as Awaited<ReturnType<typeof openStackFromFlags>>, service);
  const abort = new AbortController();
  const stop = () => abort.abort();
  // `regctl logs core | head` closes the pipe early: stop quietly instead of crashing
  const onStdoutError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', onStdoutError);
  try {
    await printLogs(stack, targets, {
      tail,
      follow: Boolean(flags.follow),
      print: (l) => {
        if (!abort.signal.aborted) run.out.info(l);
      },
      warn: (l) => run.out.warn(l),
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.off('error', onStdoutError);
  }
  return { exitCode: ExitCode.ok };
}

function registerDown(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  lockWaitOption(stackOptions(program.command('down')))
    .description('stop and remove the containers and network of the stack; data_volume and volumes are kept')
    .option('--volumes', "also remove the stack's named and anonymous Docker volumes (needs --yes); data_volume is never removed")
    .option('-y, --yes', 'confirm --volumes')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      `
Harbor keeps its data in bind mounts (data_volume, log location), which down never deletes.

Examples:
  regctl down --config /opt/harbor/harbor.yml
  regctl down --volumes --yes`,
    )
    .action(
      action(ctx, setExit, (run, flags: DownFlags) => runDown(run, flags)),
    );
}

function registerStatus(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  stackOptions(program.command('status'))
    .description('containers (state, health, uptime), the health and /v2/ checks through the proxy, days until the certificate expires')
    .option('--json', JSON_HELP)
    .addHelpText('after', '\nExit code 0 when every container is ready and the endpoint checks pass, else 1.\n\nExamples:\n  regctl status --config /opt/harbor/harbor.yml\n  regctl status --json | jq .data.certificate.daysLeft')
    .action(
      action(ctx, setExit, async (run, flags: StackFlags & { json?: boolean }) => {
        const reg = await registryStackFromFlags(run, flags);
        if (reg) {
          const rs = await registryStatus(reg);
          return { exitCode: rs.healthy ? ExitCode.ok : ExitCode.failure, data: rs, lines: formatRegistryStatus(rs) };
        }
        const stack = await openStackFromFlags(run, flags);
        const st = await stackStatus(stack);
        return { exitCode: st.healthy ? ExitCode.ok : ExitCode.failure, data: st, lines: formatStatus(st) };
      }),
    );
}

function registerLogs(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  stackOptions(program.command('logs'))
    .description("print a service's logs from where they are: the harbor-log files for the syslog driver, docker logs otherwise")
    .argument('[service]', 'compose service (core, proxy, registry...) or container name; default: all')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --tail <lines>', 'lines to show from the end of each log', '100')
    .addHelpText('after', '\nExamples:\n  regctl logs core\n  regctl logs proxy -f\n  regctl logs --tail 20')
    .action(
      action(ctx, setExit, (run, service: string | undefined, flags: LogsFlags) => runLogs(run, service, flags)),
    );
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  registerDown(program, ctx, setExit);
  registerStatus(program, ctx, setExit);
  registerLogs(program, ctx, setExit);
}
