/** `regctl cert check`: lint a certificate someone brings (or regctl made). */
import type { Command } from 'commander';
import { JSON_HELP } from '../flags.js';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode } from '../../errors.js';
import { CertificateInfo, formatName, sanList } from '../../cert/certificate-info.js';
import { describeKey } from '../../cert/key-types.js';
import { hasErrors, inspectCertificate } from '../../cert/lint.js';
import { collect, examples, findingsToProblems, isoDay, resolveFrom } from './shared.js';

interface CheckFlags {
  key?: string;
  host?: string[];
  ca?: string;
  json?: boolean;
}

function summary(c: CertificateInfo) {
  return {
    subject: formatName(c.subject),
    issuer: formatName(c.issuer),
    sans: sanList(c),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    key: describeKey(c.publicKey),
    signatureAlgorithm: c.signatureAlgorithm,
    sha256Fingerprint: c.x509.fingerprint256,
  };
}

export function registerCheckCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('check')
    .description('lint a server certificate: SANs, key match, chain, validity, key size, signature, serverAuth')
    .argument('<cert>', 'the server certificate file (leaf first, then intermediates)')
    .option('--key <file>', 'the private key the server uses with it')
    .option('--host <name-or-ip>', 'a name or address clients use; repeat for each', collect)
    .option('--ca <file>', 'the CA certificate clients trust (or a regctl CA directory)')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      examples([
        'regctl cert check server.crt',
        'regctl cert check /data/cert/server.crt --key /data/cert/server.key --ca regctl-ca/ca.crt --host 192.168.120.85 --host reg.example.com',
        'regctl cert check fullchain.pem --host reg.example.com --json',
        '',
        '# exit status: 0 no errors (warnings allowed), 1 errors found',
      ]),
    )
    .action(
      action(ctx, setExit, async (run, certArg: string, flags: CheckFlags) => {
        const file = resolveFrom(run, certArg);
        const report = await inspectCertificate({
          cert: file,
          key: flags.key ? resolveFrom(run, flags.key) : undefined,
          ca: flags.ca ? resolveFrom(run, flags.ca) : undefined,
          hosts: flags.host,
        });
        const errors = report.findings.filter((f) => f.severity === 'error').length;
        const warnings = report.findings.length - errors;
        const l = report.leaf;
        const lines = l
          ? [
              `${file}`,
              `  subject:  ${formatName(l.subject)}`,
              `  issuer:   ${formatName(l.issuer)}`,
              `  names:    ${sanList(l).join(', ') || '(no SAN)'}`,
              `  valid:    ${isoDay(l.notBefore)} to ${isoDay(l.notAfter)}`,
              `  key:      ${describeKey(l.publicKey)}, signed with ${l.signatureAlgorithm}`,
              ...(report.chain.length > 1 ? [`  chain:    ${report.chain.map((c) => c.subjectCn ?? formatName(c.subject)).join(' → ')}`] : []),
            ]
          : [];
        lines.push(errors ? `${errors} error(s), ${warnings} warning(s)` : warnings ? `OK with ${warnings} warning(s)` : 'OK: no problems found');
        return {
          exitCode: hasErrors(report.findings) ? ExitCode.failure : ExitCode.ok,
          data: {
            file,
            ok: errors === 0,
            errors,
            warnings,
            certificate: report.leaf ? summary(report.leaf) : null,
            chain: report.chain.map((c) => formatName(c.subject)),
          },
          findings: findingsToProblems(report.findings),
          lines,
        };
      }),
    );
}
