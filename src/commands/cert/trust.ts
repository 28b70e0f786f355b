/** `regctl cert trust`: install the registry's CA (only the CA) for every client runtime. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { RegctlError, ExitCode, problem, type Problem } from '../../errors.js';
import type { CommandResult } from '../result.js';
import { commandLine, resolveRootFlag, ROOT_HELP, JSON_HELP } from '../flags.js';
import { exampleCertificate, exampleCertificateWarning } from '../../cert/example-certs.js';
import { loadTrustAnchor } from '../../trust/ca-source.js';
import { addInsecure, DOCKER_RESTART } from '../../trust/insecure.js';
import { underRoot } from '../../util/root.js';
import { insecureScript, trustScript } from '../../trust/print.js';
import { parseRegistry, type RegistryRef } from '../../trust/registry.js';
import { trustRegistry } from '../../trust/trust.js';
import { TARGET_NAMES, TargetName } from '../../trust/types.js';
import { examples, refreshReport, resolveFrom } from './shared.js';

interface TrustFlags {
  ca?: string;
  registry: string;
  root?: string;
  targets?: string;
  print?: boolean;
  insecure?: boolean;
  force?: boolean;
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
    .option('--root <dir>', ROOT_HELP)
    .option('--targets <list>', `comma-separated: ${TARGET_NAMES.join(',')}`, undefined)
    .option('--print', 'print the shell commands for other machines instead of writing anything')
    .option('--insecure', "instead of a CA: add the registry to Docker's insecure-registries in daemon.json")
    .option('--force', 'install a CA that is expired, not yet valid or lacks keyCertSign (refused otherwise)')
    .option('--json', JSON_HELP)
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
      action(ctx, setExit, async (run, flags: TrustFlags) => {
        const registry = parseRegistry(flags.registry);
        // --print touches no file of this machine, so --root does not matter there
        const root = flags.print ? '/' : ((await resolveRootFlag(run.cwd, flags.root)) ?? '/');
        if (flags.insecure) return trustInsecure(flags, registry, root);
        if (!flags.ca) {
          throw new RegctlError('E_TRUST_NO_CA', '--ca is required (or --insecure)', { fix: 'pass the CA certificate that signed the registry certificate, e.g. --ca regctl-ca/ca.crt', exitCode: ExitCode.invalidInput });
        }
        const { targets, explicit } = parseTargets(flags.targets);
        const anchor = await loadTrustAnchor(resolveFrom(run, flags.ca), { force: Boolean(flags.force) });
        const findings: Problem[] = anchor.warnings.map((w) => problem('warning', 'W_TRUST_CA', w));
        const example = exampleCertificate(anchor.pem);
        if (example) findings.push(exampleCertificateWarning(resolveFrom(run, flags.ca), example));
        if (flags.print) return { exitCode: ExitCode.ok, findings, lines: await trustScript(registry, anchor.pem, targets), data: { printed: true } };
        const r = await trustRegistry({ root, registry, caPem: anchor.pem, targets, explicitTargets: explicit });
        const lines: string[] = [];
        for (const plan of r.plans) {
          for (const f of plan.files) {
            const state = r.written.includes(f.path) ? 'wrote' : r.unchanged.includes(f.path) ? 'unchanged' : 'already present (not written by regctl; left as is)';
            lines.push(`${plan.target}: ${state} ${underRoot(root, f.path)}`);
          }
          findings.push(...plan.warnings.map((w) => problem('warning', 'W_TRUST_TARGET', `${plan.target}: ${w}`)));
        }
        findings.push(...r.skipped.map((s) => problem('warning', 'W_TRUST_SKIPPED', `${s.target}: skipped: ${s.reason}`)));
        const refresh = refreshReport(r.commands, 'install the tool and run it again as root; the CA file is in place and recorded for untrust');
        lines.push(...refresh.lines);
        findings.push(...refresh.findings);
        const restarts = r.plans.flatMap((p) => (p.restart && r.written.some((w) => p.files.some((f) => f.path === w)) ? [p.restart] : []));
        if (restarts.length) lines.push(...restarts.map((x) => `Restart ${x}.`));
        else lines.push('No restart needed: certs.d and hosts.toml are read on every connection.');
        lines.push(`Undo with: ${commandLine(['cert', 'untrust'], [['--registry', registry.name], ['--root', root === '/' ? undefined : flags.root]])}`);
        return {
          exitCode: refresh.failed ? ExitCode.failure : ExitCode.ok,
          data: { registry: registry.name, written: r.written, unchanged: r.unchanged, skipped: r.skipped },
          findings,
          lines,
        };
      }),
    );
}

async function trustInsecure(flags: TrustFlags, registry: RegistryRef, root: string): Promise<CommandResult> {
  if (flags.ca || flags.targets) {
    throw new RegctlError('E_TRUST_FLAGS', '--insecure cannot be combined with --ca or --targets', { fix: 'trust the CA (recommended) or mark the registry insecure, not both', exitCode: ExitCode.invalidInput });
  }
  if (flags.print) return { exitCode: ExitCode.ok, lines: insecureScript(registry), data: { printed: true } };
  const r = await addInsecure({ root, registry });
  const lines: string[] = [];
  if (r.changed) {
    lines.push(`${r.created ? 'Created' : 'Updated'} ${r.file}: added "${registry.asTyped}" to insecure-registries${r.backup ? ` (previous file kept as ${r.backup})` : ''}`);
    lines.push(`Restart ${DOCKER_RESTART}.`);
  }
  lines.push('Docker now skips TLS verification for this registry; trusting its CA (regctl cert trust --ca) is the safer fix.');
  return {
    exitCode: ExitCode.ok,
    data: { registry: registry.asTyped, file: r.file, changed: r.changed, backup: r.backup },
    findings: r.notes.map((n) => problem('note', 'N_TRUST_INSECURE', n)),
    lines,
  };
}
