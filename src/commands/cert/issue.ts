/** `regctl cert issue`: a server certificate for the registry, signed by a regctl CA. */
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { RegctlError, ExitCode, problem } from '../../errors.js';
import { commandLine, JSON_HELP } from '../flags.js';
import { loadCa } from '../../cert/ca.js';
import { collectDefaultSans } from '../../cert/default-sans.js';
import { machineIdentity } from '../../cert/host-identity.js';
import { describeKey, keyTypeLabel, parseKeyType } from '../../cert/key-types.js';
import { defaultLeafKeyType } from '../../cert/leaf.js';
import { parseSans, SanEntry } from '../../cert/san.js';
import { issueToFiles } from '../../cert/server-cert.js';
import { DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS, parseDays } from '../../cert/validity.js';
import { collect, examples, isoDay, resolveFrom } from './shared.js';

interface IssueFlags {
  ca: string;
  san?: string[];
  cert?: string;
  key?: string;
  days?: string;
  keyType?: string;
}

export const formatSans = (sans: SanEntry[]): string => sans.map((s) => `${s.type === 'ip' ? 'IP' : 'DNS'}:${s.value}`).join(', ');

/** `*.example.com` → `wildcard.example.com`, `2001:db8::1` → `2001_db8__1`: safe default file names. */
export function defaultFileBase(sans: SanEntry[]): string {
  return sans[0]!.value.replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9.-]/g, '_');
}

export function registerIssueCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('issue')
    .description('issue a server certificate (IP and DNS SANs, serverAuth) signed by a regctl CA')
    .requiredOption('--ca <dir>', 'the CA directory (from regctl cert ca)')
    .option('--san <value>', 'a DNS name (wildcards allowed) or IP address clients use; repeat for each (default: FQDN, short host name and every non-loopback address)', collect)
    .option('--cert <file>', 'where to write the certificate (default: ./<first SAN>.crt)')
    .option('--key <file>', 'where to write the private key, mode 0600 (default: ./<first SAN>.key)')
    .option('--days <n>', `validity in days, at most ${MAX_LEAF_DAYS}`, String(DEFAULT_LEAF_DAYS))
    .option('--key-type <type>', "rsa-4096 | rsa-2048 | ecdsa-p256 (default: the CA's key type)")
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      examples([
        'regctl cert issue --ca regctl-ca --san 192.168.120.85 --san reg.example.com',
        'regctl cert issue --ca regctl-ca --san reg.example.com --san "*.apps.example.com" --key-type ecdsa-p256',
        '# every name and address of this machine:',
        'regctl cert issue --ca regctl-ca --cert /data/cert/server.crt --key /data/cert/server.key',
        '',
        '# the first SAN becomes the CN; an existing file is never replaced (use regctl cert renew)',
      ]),
    )
    .action(
      action(ctx, setExit, async (run, flags: IssueFlags) => {
        const days = parseDays(flags.days, DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS, 'a server certificate');
        const keyType = parseKeyType(flags.keyType);
        let sans: SanEntry[];
        if (flags.san?.length) sans = parseSans(flags.san);
        else {
          sans = parseSans(collectDefaultSans(await machineIdentity()));
          if (sans.length === 0) {
            throw new RegctlError('E_CERT_NO_SAN', 'no --san given and this machine has no usable host name or non-loopback address', {
              fix: 'pass the names clients use: --san reg.example.com --san 192.168.1.10',
              exitCode: ExitCode.invalidInput,
            });
          }
          run.out.info(`No --san given; using this machine's names and addresses: ${formatSans(sans)}`);
        }
        const ca = await loadCa(resolveFrom(run, flags.ca));
        const base = defaultFileBase(sans);
        const certPath = resolveFrom(run, flags.cert ?? `${base}.crt`);
        const keyPath = resolveFrom(run, flags.key ?? `${base}.key`);
        if (path.resolve(certPath) === path.resolve(keyPath)) {
          throw new RegctlError('E_CERT_SAME_FILE', '--cert and --key name the same file', { fix: 'give the key its own file', exitCode: ExitCode.invalidInput });
        }
        const chosenType = keyType ?? defaultLeafKeyType(ca);
        if (chosenType.startsWith('rsa')) run.out.info(`Generating the server's ${keyTypeLabel(chosenType)} key...`);
        const leaf = await issueToFiles({ ca, sans, certPath, keyPath, days, keyType: chosenType });
        return {
          exitCode: ExitCode.ok,
          data: { certificate: certPath, privateKey: keyPath, sans: sans.map((s) => `${s.type === 'ip' ? 'IP' : 'DNS'}:${s.value}`), notAfter: leaf.cert.notAfter.toISOString() },
          findings: leaf.notes.map((n) => problem('warning', 'W_CERT_ISSUE', n)),
          lines: [
            `Issued a certificate for ${formatSans(sans)}`,
            `  ${describeKey(leaf.key)}, valid until ${isoDay(leaf.cert.notAfter)} (${days} days), signed by '${ca.cert.subjectCn}'`,
            `  certificate: ${certPath}  (0644)`,
            `  private key: ${keyPath}  (0600; stays on the server)`,
            'Point harbor.yml https.certificate/private_key at these files.',
          ],
          next: [`${commandLine(['cert', 'trust'], [['--ca', path.join(resolveFrom(run, flags.ca), 'ca.crt')]])} --registry <host[:port]>   (on each client)`],
        };
      }),
    );
}
