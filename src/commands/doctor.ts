import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { WITH_NOTARY_HELP, commandLine, harborVersionOption, jsonOption, resolveRootFlag, rootOption } from './flags.js';
import path from 'node:path';
import { ExitCode, RegctlError, problem } from '../errors.js';
import { loadRegistryConfig } from '../registry-profile/load.js';
import { registryDoctorChecks } from '../registry-profile/doctor.js';
import { projectNameFor } from '../docker/compose.js';
import { underRoot } from '../util/root.js';
import { runDoctor } from '../doctor/run.js';
import { formatResults, summary } from '../doctor/report.js';
import { resolveOptionalInstallation } from '../installation/installation.js';
import { exampleCertificateFindings } from '../cert/example-certs.js';
import { readIfExists } from '../util/fs.js';

interface DoctorFlags {
  profile: string;
  insecure?: boolean;
  config?: string;
  installDir?: string;
  root?: string;
  withTrivy?: boolean;
  withNotary?: boolean;
  harborVersion?: string;
  json?: boolean;
}

/** --profile registry: registry.yml is required (the checks are about it) */
async function doctorRegistry(run: CliContext, flags: DoctorFlags, root: string | undefined) {
  const harborOnly = (['withTrivy', 'withNotary', 'harborVersion'] as const).filter((k) => flags[k] !== undefined);
  if (harborOnly.length) {
    throw new RegctlError('E_USAGE', `--profile registry does not take ${harborOnly.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ')}`, { exitCode: ExitCode.invalidInput, fix: 'leave them out: they are options of the Harbor profile' });
  }
  const file = path.resolve(run.cwd, flags.config ?? 'registry.yml');
  const config = await loadRegistryConfig(file, { insecure: Boolean(flags.insecure) });
  const installDir = underRoot(root, path.resolve(run.cwd, flags.installDir ?? path.dirname(file)));
  const report = await runDoctor({ env: run.env, projectName: projectNameFor(installDir), checks: registryDoctorChecks({ config, root, installDir }) });
  return {
    exitCode: report.failed ? ExitCode.failure : ExitCode.ok,
    data: { profile: 'registry', checks: report.results },
    lines: [...formatResults(report.results), summary(report.results)],
    next: report.failed ? [] : [commandLine(['install'], [['--profile', 'registry'], ['--config', flags.config ?? 'registry.yml'], ['--install-dir', flags.installDir], ['--insecure', flags.insecure], ['--root', flags.root]])],
  };
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('doctor')
    .description('check this host before installing: Docker engine and compose, free ports, container names, disk space, localhost, SELinux, the https certificate')
    .option('--profile <name>', "what will be installed: harbor or registry (a plain distribution registry, checked against registry.yml)", 'harbor')
    .option('-c, --config <file>', 'harbor.yml or harbor.cfg (default: ./harbor.yml, else ./harbor.cfg; without one only host checks run); registry.yml for --profile registry')
    .option('--insecure', '--profile registry: the registry will serve plain HTTP (install --insecure)')
    .option('--install-dir <dir>', 'directory holding docker-compose.yml (default: the config file directory)')
    .option('--with-trivy', 'check for a stack that includes Trivy')
    .option('--with-notary', WITH_NOTARY_HELP);
  harborVersionOption(cmd);
  rootOption(cmd);
  jsonOption(cmd, 'print the result envelope; data.checks is [{check, status, detail, fix}]')
    .addHelpText(
      'after',
      `
Each check prints pass, warn or fail with a one-line fix; the exit code is 1 when any check fails.

Examples:
  regctl doctor --config /opt/harbor/harbor.yml
  regctl doctor --profile registry --config registry.yml
  regctl doctor --json | jq '.data.checks[] | select(.status != "pass")'`,
    )
    .action(
      action(ctx, setExit, async (run, flags: DoctorFlags) => {
        const root = await resolveRootFlag(run.cwd, flags.root);
        if (flags.profile === 'registry') return doctorRegistry(run, flags, root);
        if (flags.profile !== 'harbor') throw new RegctlError('E_USAGE', `unknown --profile '${flags.profile}'`, { exitCode: ExitCode.invalidInput, fix: 'one of: harbor, registry' });
        if (flags.insecure) throw new RegctlError('E_USAGE', '--insecure belongs to --profile registry', { exitCode: ExitCode.invalidInput, fix: 'add --profile registry, or leave --insecure out (Harbor reads its protocol from harbor.yml)' });
        const { target, problems } = await resolveOptionalInstallation({
          cwd: run.cwd,
          configPath: flags.config,
          installDir: flags.installDir,
          root,
          withTrivy: flags.withTrivy,
          withNotary: flags.withNotary,
          harborVersion: flags.harborVersion,
        });
        const report = await runDoctor({ env: run.env, target });
        const findings = [...problems];
        if (!target) findings.push(problem('note', 'N_HOST_CHECKS_ONLY', 'no harbor.yml here and no --config: running the host checks only'));
        else findings.push(...(await exampleCertificateFindings(target.config.https, target.hostPath, (f) => readIfExists(f))));
        const next =
          target && !report.failed
            ? [commandLine(['install'], [['--config', target.config.source.file], ['--install-dir', flags.installDir], ['--root', flags.root], ['--harbor-version', flags.harborVersion], ['--with-trivy', flags.withTrivy], ['--with-notary', flags.withNotary]])]
            : [];
        return {
          exitCode: report.failed ? ExitCode.failure : ExitCode.ok,
          data: { checks: report.results },
          findings,
          lines: [...formatResults(report.results), summary(report.results)],
          next,
        };
      }),
    );
}
