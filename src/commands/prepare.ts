import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { WITH_NOTARY_HELP, commandLine, harborVersionOption, jsonOption, lockWaitOption, parseLockWait, resolveRootFlag, rootOption } from './flags.js';
import { runPrepare } from '../prepare/run.js';
import { ExitCode } from '../errors.js';

interface PrepareFlags {
  config?: string;
  installDir?: string;
  withTrivy?: boolean;
  withNotary?: boolean;
  harborVersion?: string;
  dryRun?: boolean;
  diff?: boolean;
  root?: string;
  imagePrefix?: string;
  generateCerts?: boolean;
  ca?: string;
  json?: boolean;
  lockWait?: string;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('prepare')
    .description("Render Harbor's configuration (docker-compose.yml, common/config, data_volume/secret) from harbor.yml or a legacy harbor.cfg")
    .option('-c, --config <file>', 'harbor.yml or harbor.cfg (default: ./harbor.yml, else ./harbor.cfg)')
    .option('--install-dir <dir>', "where docker-compose.yml and common/config go (default: the config file's directory)")
    .option('--with-trivy', 'include the Trivy scanner adapter')
    .option('--with-notary', WITH_NOTARY_HELP)
    .option('--generate-certs', 'https: create a CA and a server certificate when the configured files do not exist')
    .option('--ca <file>', 'CA certificate to offer on the portal\'s "Download CA" (default: https.ca_file, else the CA --generate-certs made)')
    .option('--dry-run', 'print what would change, one line per file; write nothing')
    .option('--diff', 'print unified diffs of what would change (secrets masked); write nothing')
    .option('--image-prefix <prefix>', "image repository prefix instead of 'goharbor' (offline mirror)");
  harborVersionOption(cmd);
  rootOption(cmd);
  lockWaitOption(cmd);
  jsonOption(cmd)
    .addHelpText(
      'after',
      `
Examples:
  regctl prepare                                   # ./harbor.yml, writes next to it and under data_volume
  regctl prepare --config /opt/harbor/harbor.yml --with-trivy
  regctl prepare --harbor-version 2.8.6 --with-notary   # the last line with Notary (https only)
  regctl prepare --dry-run                         # create / change / unchanged, per file
  regctl prepare --diff                            # what would change, secrets masked
  regctl prepare --config harbor.cfg               # a Harbor 1.x harbor.cfg, mapped to v2.15
  regctl prepare --generate-certs                  # https files missing? make a CA (kept in
                                                   # data_volume/secret/ca) and a server certificate
  mkdir -p /tmp/try && regctl prepare --config examples/harbor.yml --root /tmp/try   # everything under /tmp/try

A second run with an unchanged config rewrites nothing. A failed run leaves the previous tree as it was.
Exit codes: 0 ok, 2 invalid config (nothing written), 1 other failure.`,
    )
    .action(
      action(ctx, setExit, async (run, flags: PrepareFlags) => {
        const root = await resolveRootFlag(run.cwd, flags.root);
        const result = await runPrepare({
          cwd: run.cwd,
          out: run.out,
          configPath: flags.config,
          installDir: flags.installDir,
          root,
          withTrivy: Boolean(flags.withTrivy),
          withNotary: Boolean(flags.withNotary),
          release: flags.harborVersion,
          imagePrefix: flags.imagePrefix,
          generateCerts: Boolean(flags.generateCerts),
          caFile: flags.ca,
          dryRun: Boolean(flags.dryRun),
          diff: Boolean(flags.diff),
          lockWaitMs: parseLockWait(flags.lockWait),
          fault: run.env.REGCTL_FAULT_INJECT,
        });
        const readOnly = flags.dryRun || flags.diff;
        const again: [string, string | boolean | undefined][] = [
          ['--config', result.configFile],
          ['--install-dir', flags.installDir],
          ['--root', flags.root],
          ['--harbor-version', flags.harborVersion],
          ['--with-trivy', flags.withTrivy],
          ['--with-notary', flags.withNotary],
          ['--image-prefix', flags.imagePrefix],
        ];
        return {
          exitCode: ExitCode.ok,
          findings: result.findings,
          lines: result.lines,
          next: readOnly
            ? [`${commandLine(['prepare'], [...again, ['--generate-certs', flags.generateCerts], ['--ca', flags.ca]])}   (writes it)`]
            : [`${commandLine(['install'], again)}   (checks the host, starts Harbor, waits until it answers)`],
          data: {
            installDir: result.installDir,
            dataVolume: result.dataVolume,
            composeFile: result.composeFile,
            wrote: result.wrote,
            created: result.created,
            files: result.plan,
          },
        };
      }),
    );
}
