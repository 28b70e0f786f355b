/**
 * The flags `registry catalog` and `registry tags` share, and what they resolve to: the trust
 * anchors (--ca, else ROOT/etc/docker/certs.d/NAME/*.crt, else the system store under ROOT), the
 * credentials (--username with --password-stdin or --password, else the Docker CLI config) and
 * the warnings about how they were given.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode, problem, RegctlError, type Problem } from '../../errors.js';
import { JSON_HELP, ROOT_HELP, resolveRootFlag } from '../flags.js';
import type { RegistryClient } from '../../registry-client/client.js';
import { dockerConfigFile, lookupDockerConfig, type Credentials } from '../../registry-client/docker-config.js';
import type { CredentialHint } from '../../registry-client/registry-errors.js';
import type { RegistryTarget } from '../../registry-client/target.js';
import { openRegistry } from '../../registry-client/open.js';
import type { TrustAnchors } from '../../registry-client/trust-anchors.js';
import { readSecretFromStdin } from './stdin.js';

export interface ConnectionFlags {
  ca?: string;
  username?: string;
  passwordStdin?: boolean;
  password?: string;
  root?: string;
  json?: boolean;
}

export function connectionOptions(cmd: Command): Command {
  return cmd
    .option('--ca <file>', 'verify the registry certificate with this CA only (default: /etc/docker/certs.d/HOST[:PORT]/*.crt, else the system store)')
    .option('--username <user>', 'log in as this user (default: the Docker CLI config, ~/.docker/config.json or $DOCKER_CONFIG)')
    .option('--password-stdin', 'read the password from stdin (with --username)')
    .option('--password <password>', 'the password on the command line: visible to other users (ps); prefer --password-stdin')
    .option('--root <dir>', ROOT_HELP)
    .option('--json', JSON_HELP);
}

/** n of each catalog and tags page: distribution's default page; Link headers bring the rest */
export const PAGE_SIZE = 100;

export interface Connection {
  client: RegistryClient;
  anchors: TrustAnchors;
  findings: Problem[];
  credentials?: Credentials;
}

export async function connect(run: CliContext, flags: ConnectionFlags, target: RegistryTarget, readStdin = readSecretFromStdin): Promise<Connection> {
  const root = await resolveRootFlag(run.cwd, flags.root);
  const findings: Problem[] = [];
  const credentials = await flagCredentials(flags, findings, readStdin);
  let hint: CredentialHint | undefined;
  let creds = credentials;
  if (!creds) {
    const file = dockerConfigFile(run.env, run.env['HOME'] ?? os.homedir());
    if (file) {
      const found = await lookupDockerConfig(file, target.registry.dirNames);
      creds = found.credentials;
      if (found.helper) hint = { helper: found.helper, helperKey: found.helperKey!, file };
    }
  }
  const { client, anchors } = await openRegistry({ target, root, caFile: flags.ca ? path.resolve(run.cwd, flags.ca) : undefined, credentials: creds, hint });
  return { client, anchors, findings, credentials: creds };
}

/** --username with --password-stdin (or --password, with a warning); undefined without --username */
export async function flagCredentials(flags: ConnectionFlags, findings: Problem[], readStdin: () => Promise<string> = readSecretFromStdin): Promise<Credentials | undefined> {
  const usage = (message: string, fix: string) => new RegctlError('E_USAGE', message, { fix, exitCode: ExitCode.invalidInput });
  if (flags.passwordStdin && flags.password !== undefined) throw usage('--password-stdin and --password exclude each other', 'pipe the password and use --password-stdin only');
  if (flags.username === undefined) {
    if (flags.passwordStdin || flags.password !== undefined) throw usage('a password needs --username', 'add --username USER');
    return undefined;
  }
  if (flags.password !== undefined) {
    findings.push(problem('warning', 'W_PASSWORD_ARGUMENT', '--password is visible to other users of this machine (ps, /proc/PID/cmdline) and may stay in the shell history', { fix: "pipe it instead: printf '%s' \"$PASSWORD\" | regctl ... --password-stdin" }));
    return { username: flags.username, password: flags.password, source: '--username/--password' };
  }
  if (!flags.passwordStdin) throw usage(`--username ${flags.username} needs a password`, 'pipe it and add --password-stdin, e.g. printf \'%s\' "$PASSWORD" | regctl registry catalog HOST --username USER --password-stdin');
  const password = await readStdin();
  if (!password) throw usage('--password-stdin read an empty password', 'pipe the password on stdin');
  return { username: flags.username, password, source: '--username/--password-stdin' };
}
