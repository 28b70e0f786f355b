import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { commandLine, jsonOption, resolveRootFlag, rootOption } from '../flags.js';
import { ExitCode, RegctlError } from '../../errors.js';
import { EXPOSE_TYPES, type ExposeType } from '../../export/helm/render.js';

interface ExportHelmFlags {
  config?: string;
  installDir?: string;
  output?: string;
  namespace?: string;
  chartVersion?: string;
  expose?: string;
  root?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const exp = program.command('export').description('Export this Docker install for another platform');
  const cmd = exp
    .command('helm')
    .description('Write values.yaml, Secrets and MIGRATION.md for the harbor-helm chart line of this install (secretkey and token pair kept)')
    .option('-c, --config <file>', 'harbor.yml (default: ./harbor.yml)')
    .option('--install-dir <dir>', "the install dir (default: the config file's directory)")
    .option('--output <dir>', 'where the export goes (default: ./harbor-helm-export); must be new, empty, or a previous export')
    .option('--namespace <ns>', 'namespace of the Secrets (default: harbor)')
    .option('--chart-version <x.y.x>', 'chart line to export for; must match the install (2.15↔1.19.x, 2.14↔1.18.x, 2.13↔1.17.x)')
    .option('--expose <type>', `expose.type: ${EXPOSE_TYPES.join(', ')} (default: ingress)`);
  rootOption(cmd);
  jsonOption(cmd)
    .addHelpText(
      'after',
      `
Examples:
  regctl export helm --config /opt/harbor/harbor.yml --output /tmp/harbor-k8s
  regctl export helm --expose loadBalancer --namespace registry

Exit codes: 0 written, 2 invalid input (no chart line for the release, Notary, an --output that is not a previous export; nothing written), 1 other failure.`,
    )
    .action(
      action(ctx, setExit, async (run, flags: ExportHelmFlags) => {
        const root = await resolveRootFlag(run.cwd, flags.root);
        if (flags.expose !== undefined && !(EXPOSE_TYPES as readonly string[]).includes(flags.expose)) {
          throw new RegctlError('E_USAGE', `--expose must be one of ${EXPOSE_TYPES.join(', ')}, got '${flags.expose}'`, { exitCode: ExitCode.invalidInput, fix: 'for example --expose ingress' });
        }
        const { runExportHelm } = await import('../../export/helm/run.js');
        const r = await runExportHelm({
          cwd: run.cwd,
          configPath: flags.config,
          installDir: flags.installDir,
          root,
          output: flags.output,
          namespace: flags.namespace,
          chartVersion: flags.chartVersion,
          expose: flags.expose as ExposeType | undefined,
        });
        const lines = [
          `${r.replaced ? 'replaced' : 'wrote'} ${r.output}: harbor-helm ${r.chartVersion} values for Harbor ${r.harborVersion} (${r.files.join(', ')})`,
          `${r.gaps.length} setting(s) without a chart equivalent (see MIGRATION.md):`,
          ...r.gaps.map((g) => `  - ${g.key}: ${g.reason}`),
        ];
        const ns = flags.namespace ?? 'harbor';
        return {
          exitCode: ExitCode.ok,
          findings: r.findings,
          lines,
          next: [
            `kubectl create namespace ${ns} && kubectl apply -f ${r.output}/secrets.yaml`,
            `helm install harbor harbor/harbor --version ${r.chartVersion} -n ${ns} -f ${r.output}/values.yaml -f ${r.output}/secret-values.yaml   (after the database and storage steps of MIGRATION.md)`,
            `${commandLine(['status'], [['--config', flags.config], ['--root', flags.root]])}   (the Docker install, until you switch DNS)`,
          ],
          data: { output: r.output, chartVersion: r.chartVersion, chartLine: r.chartLine, harborVersion: r.harborVersion, files: r.files, gaps: r.gaps, replaced: r.replaced },
        };
      }),
    );
}
