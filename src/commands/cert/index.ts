import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerCaCommand } from './ca.js';
import { registerCheckCommand } from './check.js';
import { registerIssueCommand } from './issue.js';
import { registerRenewCommand } from './renew.js';
import { registerTrustCommand } from './trust.js';
import { registerUntrustCommand } from './untrust.js';

/** `regctl cert ca|issue|check|renew|trust|untrust`; each subcommand lives in src/commands/cert/. */
export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cert = program
    .command('cert')
    .description('make, check and trust TLS certificates for the registry')
    .addHelpText(
      'after',
      `
Typical flow:
  $ regctl cert ca                                   # once: regctl-ca/ca.crt + ca.key
  $ regctl cert issue --ca regctl-ca --san 192.168.120.85 --san reg.example.com
  $ regctl cert check 192.168.120.85.crt --key 192.168.120.85.key --ca regctl-ca/ca.crt --host 192.168.120.85
  $ regctl cert trust --ca regctl-ca/ca.crt --registry 192.168.120.85   # on each client
`,
    );
  registerCaCommand(cert, ctx, setExit);
  registerIssueCommand(cert, ctx, setExit);
  registerCheckCommand(cert, ctx, setExit);
  registerRenewCommand(cert, ctx, setExit);
  registerTrustCommand(cert, ctx, setExit);
  registerUntrustCommand(cert, ctx, setExit);
}
