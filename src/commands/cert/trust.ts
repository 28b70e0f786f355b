/** `regctl cert trust`: install the registry's CA (only the CA) for every client runtime. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { RegctlError, ExitCode } from '../../errors.js';
import { loadTrustAnchor } from '../../trust/ca-source.js';
import { addInsecure, DOCKER_RESTART } from '../../trust/insecure.js';
import { underRoot } from '../../util/root.js';
import { insecureScript, trustScript } from '../../trust/print.js';
import { parseRegistry } from '../../trust/registry.js';
import { trustRegistry } from '../../trust/trust.js';
import { TARGET_NAMES, TargetName } from '../../trust/types.js';
import { examples, reportRefreshCommands, resolveFrom, resolveRoot } from './shared.js';

interface TrustFlags {
  ca?: string;
  registry: string;
  root: string;
  targets?: string;
  print?: boolean;
  insecure?: boolean;
}

export function parseTargets(value: string | undefined): { targets: TargetName[]; explicit: boolean } {
  if (value === undefined) return { targets: [...TARGET_NAMES], explicit: false };
  const names = value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !(TARGET_NAMES as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) {
    throw new RegctlError('E_TRUST_TARGETS', `unknown --targets ${unknown.join(', ') || '(empty)'}`, { fix: `choose from: ${TARGET_NAMES.join(',')}`, exitCode: ExitCode.invalidInput });
  }
  return { targets: [...new Set(names)] as TargetName[], explicit: true };
}

export function registerTrustCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('trust')
    .description('install the registry CA for Docker, containerd, podman/skopeo/CRI-O and the system store (never a private key)')
    .option('--ca <file>', 'the CA certificate (ca.crt) or a regctl CA directory')
    .requiredOption('--registry <host[:port]>', 'the registry as clients write it in image names')
    .option('--root <dir>', 'prefix for every system path (tests, chroots, images)', '/')
    .option('--targets <list>', `comma-separated: ${TARGET_NAMES.join(',')}`, undefined)
    .option('--print', 'print the shell commands for other machines instead of writing anything')
    .option('--insecure', "instead of a CA: add the registry to Docker's insecure-registries in daemon.json")
    .addHelpText(
      'after',
      examples([
        'regctl cert trust --ca regctl-ca/ca.crt --registry reg.example.com',
        'regctl cert trust --ca regctl-ca/ca.crt --registry 192.168.120.85:8443 --targets docker,containers',
        '# for machines without regctl: copy the output there and run it as root',
        'regctl cert trust --ca regctl-ca/ca.crt --registry reg.example.com --print > trust-registry.sh',
        'regctl cert trust --insecure --registry 192.168.120.85:5000',
        '',
        '# directories are named as clients write the registry: HOST:PORT for other ports; for 443',
        '# both HOST and HOST:443 are written, since clients may use either form.',
        '# Undo with: regctl cert untrust --registry HOST[:PORT]',
      ]),
    )
    .action(
      action(ctx, setExit, async (flags: TrustFlags) => {
        const registry = parseRegistry(flags.registry);
        // --print touches no file of this machine, so --root does not matter there
        const root = flags.print ? '/' : await resolveRoot(ctx, flags.root);
        if (flags.insecure) {
          if (flags.ca || flags.targets) {
            throw new RegctlError('E_TRUST_FLAGS', '--insecure cannot be combined with --ca or --targets', { fix: 'trust the CA (recommended) or mark the registry insecure, not both', exitCode: ExitCode.invalidInput });
          }
          if (flags.print) {
            insecureScript(registry).forEach((l) => ctx.out.info(l));
            return ExitCode.ok;
          }
          const r = await addInsecure({ root, registry });
          if (r.changed) {
            ctx.out.info(`${r.created ? 'Created' : 'Updated'} ${r.file}: added "${registry.asTyped}" to insecure-registries${r.backup ? ` (previous file kept as ${r.backup})` : ''}`);
            ctx.out.info(`Restart ${DOCKER_RESTART}.`);
          }
          for (const n of r.notes) ctx.out.info(`note: ${n}`);
          ctx.out.info('Docker now skips TLS verification for this registry; trusting its CA (regctl cert trust --ca) is the safer fix.');
          return ExitCode.ok;
        }
        if (!flags.ca) {
          throw new RegctlError('E_TRUST_NO_CA', '--ca is required (or --insecure)', { fix: 'pass the CA certificate that signed the registry certificate, e.g. --ca regctl-ca/ca.crt', exitCode: ExitCode.invalidInput });
        }
        const { targets, explicit } = parseTargets(flags.targets);
        const anchor = await loadTrustAnchor(resolveFrom(ctx, flags.ca));
        for (const w of anchor.warnings) ctx.out.warn(`warning: ${w}`);
        if (flags.print) {
          (await trustScript(registry, anchor.pem, targets)).forEach((l) => ctx.out.info(l));
          return ExitCode.ok;
        }
        const r = await trustRegistry({ root, registry, caPem: anchor.pem, targets, explicitTargets: explicit });
        let failed = false;
        for (const plan of r.plans) {
          for (const f of plan.files) {
            const state = r.written.includes(f.path) ? 'wrote' : r.unchanged.includes(f.path) ? 'unchanged' : 'already present (not written by regctl; left as is)';
            ctx.out.info(`${plan.target}: ${state} ${underRoot(root, f.path)}`);
          }
          for (const w of plan.warnings) ctx.out.warn(`warning: ${plan.target}: ${w}`);
        }
        for (const s of r.skipped) ctx.out.warn(`warning: ${s.target}: skipped: ${s.reason}`);
        if (reportRefreshCommands(ctx, r.commands, 'install the tool and run it again as root; the CA file is in place and recorded for untrust')) failed = true;
        const restarts = r.plans.flatMap((p) => (p.restart && r.written.some((w) => p.files.some((f) => f.path === w)) ? [p.restart] : []));
        if (restarts.length) restarts.forEach((x) => ctx.out.info(`Restart ${x}.`));
        else ctx.out.info('No restart needed: certs.d and hosts.toml are read on every connection.');
        ctx.out.info(`Undo with: regctl cert untrust --registry ${registry.name}${root === '/' ? '' : ` --root ${flags.root}`}`);
        return failed ? ExitCode.failure : ExitCode.ok;
      }),
    );
}
