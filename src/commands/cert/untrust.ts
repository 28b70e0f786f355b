/** `regctl cert untrust`: remove exactly what `regctl cert trust` installed for a registry. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode, problem, type Problem } from '../../errors.js';
import { resolveRootFlag, ROOT_HELP, JSON_HELP } from '../flags.js';
import { DOCKER_RESTART } from '../../trust/insecure.js';
import { underRoot } from '../../util/root.js';
import { parseRegistry } from '../../trust/registry.js';
import { untrustRegistry } from '../../trust/untrust.js';
import { examples, refreshReport } from './shared.js';

interface UntrustFlags {
  registry: string;
  root?: string;
}

export function registerUntrustCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('untrust')
    .description('remove the CA files (and daemon.json entry) regctl cert trust installed for a registry, and nothing else')
    .requiredOption('--registry <host[:port]>', 'the registry given to regctl cert trust')
    .option('--root <dir>', ROOT_HELP)
    .option('--json', JSON_HELP)
    .addHelpText('after', examples(['regctl cert untrust --registry reg.example.com', 'regctl cert untrust --registry 192.168.120.85:8443 --root /mnt/image']))
    .action(
      action(ctx, setExit, async (run, flags: UntrustFlags) => {
        const registry = parseRegistry(flags.registry);
        const root = (await resolveRootFlag(run.cwd, flags.root)) ?? '/';
        const r = await untrustRegistry({ root, registry });
        const lines = [
          ...r.removed.map((f) => `removed ${underRoot(root, f)}`),
          ...r.removedDirectories.map((d) => `removed empty directory ${underRoot(root, d)}`),
          ...r.alreadyGone.map((f) => `already gone: ${underRoot(root, f)}`),
        ];
        const findings: Problem[] = [
          ...r.keptChanged.map((f) => problem('warning', 'W_UNTRUST_CHANGED', `kept ${underRoot(root, f)}: it changed after regctl wrote it`, { fix: 'remove it by hand if it is obsolete' })),
          ...r.warnings.map((w) => problem('warning', 'W_UNTRUST', w)),
        ];
        if (r.insecureEntryRemoved) lines.push(`removed "${r.insecureEntryRemoved}" from insecure-registries${r.daemonJsonBackup ? ` (previous file kept as ${r.daemonJsonBackup})` : ''}`);
        const refresh = refreshReport(r.commands, 'run it again as root so the removed CA leaves the system bundle');
        lines.push(...refresh.lines);
        findings.push(...refresh.findings);
        if (r.targets.includes('system') || r.insecureEntryRemoved) lines.push(`Restart ${DOCKER_RESTART}.`);
        return {
          exitCode: refresh.failed ? ExitCode.failure : ExitCode.ok,
          data: { registry: registry.name, removed: r.removed, keptChanged: r.keptChanged, alreadyGone: r.alreadyGone, insecureEntryRemoved: r.insecureEntryRemoved ?? null },
          findings,
          lines,
        };
      }),
    );
}
