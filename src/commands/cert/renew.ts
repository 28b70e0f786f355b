/** `regctl cert renew`: same names, same CA, new dates (and a new key); clients need no change. */
import type { Command } from 'commander';
import { JSON_HELP } from '../flags.js';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode, problem } from '../../errors.js';
import { loadCa } from '../../cert/ca.js';
import { describeKey } from '../../cert/key-types.js';
import { renewFiles } from '../../cert/server-cert.js';
import { DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS, parseDays } from '../../cert/validity.js';
import { formatSans } from './issue.js';
import { examples, isoDay, resolveFrom } from './shared.js';

interface RenewFlags {
  ca: string;
  cert: string;
  key: string;
  days?: string;
}

export function registerRenewCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('renew')
    .description('replace a server certificate with a new one for the same names from the same CA (the CA is never changed)')
    .requiredOption('--ca <dir>', 'the CA directory that issued the certificate')
    .requiredOption('--cert <file>', 'the certificate to renew (replaced; the old one is kept as .bak-<time>)')
    .requiredOption('--key <file>', 'its private key (replaced by a new key of the same type; the old one is kept as .bak-<time>)')
    .option('--days <n>', `validity in days, at most ${MAX_LEAF_DAYS}`, String(DEFAULT_LEAF_DAYS))
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      examples([
        'regctl cert renew --ca regctl-ca --cert /data/cert/server.crt --key /data/cert/server.key',
        '# then reload the server (e.g. regctl install, or docker restart nginx); clients need no change',
      ]),
    )
    .action(
      action(ctx, setExit, async (run, flags: RenewFlags) => {
        const days = parseDays(flags.days, DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS, 'a server certificate');
        const ca = await loadCa(resolveFrom(run, flags.ca));
        const r = await renewFiles({ ca, certPath: resolveFrom(run, flags.cert), keyPath: resolveFrom(run, flags.key), days });
        return {
          exitCode: ExitCode.ok,
          data: { certificate: resolveFrom(run, flags.cert), privateKey: resolveFrom(run, flags.key), notAfter: r.cert.notAfter.toISOString(), backups: r.backups },
          findings: r.notes.map((n) => problem('warning', 'W_CERT_RENEW', n)),
          lines: [
            `Renewed the certificate for ${formatSans(r.sans)}`,
            `  ${describeKey(r.key)}, valid until ${isoDay(r.cert.notAfter)}, signed by '${ca.cert.subjectCn}' (unchanged)`,
            ...r.backups.map((b) => `  previous file kept as ${b}`),
            'Reload the server that uses it; clients trusting the CA need no change.',
          ],
        };
      }),
    );
}
