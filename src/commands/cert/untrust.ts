/** `regctl cert untrust`: remove exactly what `regctl cert trust` installed for a registry. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode } from '../../errors.js';
import { DOCKER_RESTART } from '../../trust/insecure.js';
import { underRoot } from '../../util/root.js';
import { parseRegistry } from '../../trust/registry.js';
import { untrustRegistry } from '../../trust/untrust.js';
import { examples, reportRefreshCommands, resolveRoot } from './shared.js';

interface UntrustFlags {
  registry: string;
  root: string;
}

export function registerUntrustCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('untrust')
    .description('remove the CA files (and daemon.json entry) regctl cert trust installed for a registry, and nothing else')
    .requiredOption('--registry <host[:port]>', 'the registry given to regctl cert trust')
    .option('--root <dir>', 'prefix for every system path', '/')
    .addHelpText('after', examples(['regctl cert untrust --registry reg.example.com', 'regctl cert untrust --registry 192.168.120.85:8443 --root /mnt/image']))
    .action(
      action(ctx, setExit, async (flags: UntrustFlags) => {
        const registry = parseRegistry(flags.registry);
        const root = await resolveRoot(ctx, flags.root);
        const r = await untrustRegistry({ root, registry });
        for (const f of r.removed) ctx.out.info(`removed ${underRoot(root, f)}`);
        for (const d of r.removedDirectories) ctx.out.info(`removed empty directory ${underRoot(root, d)}`);
        for (const f of r.keptChanged) ctx.out.warn(`warning: kept ${underRoot(root, f)}: it changed after regctl wrote it; remove it by hand if it is obsolete`);
        for (const f of r.alreadyGone) ctx.out.info(`already gone: ${underRoot(root, f)}`);
        if (r.insecureEntryRemoved) ctx.out.info(`removed "${r.insecureEntryRemoved}" from insecure-registries${r.daemonJsonBackup ? ` (previous file kept as ${r.daemonJsonBackup})` : ''}`);
        for (const w of r.warnings) ctx.out.warn(`warning: ${w}`);
        const failed = reportRefreshCommands(ctx, r.commands, 'run it again as root so the removed CA leaves the system bundle');
        if (r.targets.includes('system') || r.insecureEntryRemoved) ctx.out.info(`Restart ${DOCKER_RESTART}.`);
        return failed ? ExitCode.failure : ExitCode.ok;
      }),
    );
}
