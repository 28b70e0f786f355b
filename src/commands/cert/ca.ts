/** `regctl cert ca`: make the CA that signs the registry's server certificates. */
import os from 'node:os';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { RegctlError, ExitCode } from '../../errors.js';
import { assertCaDirFree, createCa, defaultCaCommonName, writeCa } from '../../cert/ca.js';
import { machineFqdn } from '../../cert/host-identity.js';
import { DEFAULT_CA_KEY_TYPE, describeKey, keyTypeLabel, parseKeyType } from '../../cert/key-types.js';
import { DEFAULT_CA_DAYS, MAX_CA_DAYS, parseDays } from '../../cert/validity.js';
import { examples, isoDay, resolveFrom } from './shared.js';
import { commandLine, JSON_HELP } from '../flags.js';

interface CaFlags {
  dir: string;
  cn?: string;
  keyType?: string;
  days?: string;
  force?: boolean;
}

export const DEFAULT_CA_DIR = 'regctl-ca';

export function registerCaCommand(cert: Command, ctx: CliContext, setExit: (code: number) => void): void {
  cert
    .command('ca')
    .description('create a certificate authority (DIR/ca.crt 0644, DIR/ca.key 0600) to sign the registry certificate')
    .option('--dir <dir>', 'directory for ca.crt and ca.key', DEFAULT_CA_DIR)
    .option('--cn <name>', "the CA's common name (default: 'regctl CA for <host>'; must differ from any server name)")
    .option('--key-type <type>', 'rsa-4096 | rsa-2048 | ecdsa-p256', DEFAULT_CA_KEY_TYPE)
    .option('--days <n>', 'validity in days', String(DEFAULT_CA_DAYS))
    .option('--force', 'replace an existing CA (the old files are kept as .bak-<time>)')
    .option('--json', JSON_HELP)
    .addHelpText(
      'after',
      examples([
        'regctl cert ca',
        'regctl cert ca --dir /data/secret/ca --key-type ecdsa-p256',
        '# then: regctl cert issue --ca regctl-ca --san reg.example.com --san 192.168.1.10',
      ]),
    )
    .action(
      action(ctx, setExit, async (run, flags: CaFlags) => {
        const keyType = parseKeyType(flags.keyType) ?? DEFAULT_CA_KEY_TYPE;
        const days = parseDays(flags.days, DEFAULT_CA_DAYS, MAX_CA_DAYS, 'a CA');
        const commonName = flags.cn?.trim() || defaultCaCommonName((await machineFqdn()) ?? os.hostname());
        if (commonName.length > 64) {
          throw new RegctlError('E_CA_CN_TOO_LONG', `--cn is ${commonName.length} characters; X.509 allows at most 64`, { fix: 'use a shorter name', exitCode: ExitCode.invalidInput });
        }
        const dir = resolveFrom(run, flags.dir);
        await assertCaDirFree(dir, flags.force);
        run.out.info(`Generating the CA's ${keyTypeLabel(keyType)} key${keyType.startsWith('rsa') ? ' (this can take a few seconds)' : ''}...`);
        const ca = await createCa({ commonName, keyType, days });
        const { certPath, keyPath, backups } = await writeCa(dir, ca, { force: flags.force });
        return {
          exitCode: ExitCode.ok,
          data: { certificate: certPath, privateKey: keyPath, commonName, key: describeKey(ca.key), notAfter: ca.cert.notAfter.toISOString(), backups },
          lines: [
            ...backups.map((b) => `Kept the previous CA file as ${b}`),
            `Created CA '${commonName}' (${describeKey(ca.key)}, valid until ${isoDay(ca.cert.notAfter)})`,
            `  certificate: ${certPath}  (0644; install it on clients with regctl cert trust)`,
            `  private key: ${keyPath}  (0600; keep it on this machine, never copy it to clients)`,
          ],
          next: [`${commandLine(['cert', 'issue'], [['--ca', dir]])} --san <registry name> --san <registry IP>`],
        };
      }),
    );
}
