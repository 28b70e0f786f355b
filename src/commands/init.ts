import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { action } from './action.js';
import { harborVersionOption, jsonOption, resolveRootFlag, rootOption } from './flags.js';
import { ExitCode, RegctlError } from '../errors.js';
import { DEFAULT_CERT_DIR } from '../init/model.js';
import type { Prompter } from '../init/prompter.js';
import type { InitResult } from '../init/run.js';
import type { InitDefaults } from '../init/questions.js';

interface InitFlags {
  output?: string;
  harborVersion?: string;
  dataVolume?: string;
  certDir?: string;
  root?: string;
  yes?: boolean;
  hostname?: string;
  http?: boolean;
  httpsPort?: string;
  httpPort?: string;
  san?: string[];
  trivy?: boolean;
  force?: boolean;
  json?: boolean;
  certificate?: string;
  privateKey?: string;
  ca?: string;
}

function portFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n < 1 || n > 65535) {
    throw new RegctlError('E_USAGE', `${flag} must be a port number (1-65535), got '${value}'`, { exitCode: ExitCode.invalidInput, key: flag, fix: `for example ${flag} 8443` });
  }
  return n;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The flags as the wizard's defaults, with the combinations that cannot work refused. */
function initDefaults(flags: InitFlags): InitDefaults {
  if (flags.http && (flags.httpsPort || flags.san || flags.certDir)) {
    throw new RegctlError('E_USAGE', '--http serves no https: --https-port, --san and --cert-dir do not apply', { exitCode: ExitCode.invalidInput, fix: 'drop --http, or drop the https flags' });
  }
  if (flags.certificate || flags.privateKey || flags.ca) {
    if (!flags.certificate || !flags.privateKey) {
      throw new RegctlError('E_USAGE', '--certificate and --private-key go together (--ca is optional)', { exitCode: ExitCode.invalidInput, key: flags.certificate ? '--private-key' : '--certificate', fix: 'pass both: --certificate server.crt --private-key server.key [--ca ca.crt]' });
    }
    if (flags.http || flags.san || flags.certDir) {
      throw new RegctlError('E_USAGE', `--certificate uses your files: ${flags.http ? '--http serves no https' : '--san and --cert-dir describe a generated certificate'}`, { exitCode: ExitCode.invalidInput, key: '--certificate', fix: flags.http ? 'drop --http, or drop --certificate/--private-key' : 'drop --san/--cert-dir, or drop --certificate to generate one' });
    }
  }
  if (flags.force && !flags.yes) {
    throw new RegctlError('E_USAGE', '--force only applies with --yes (an interactive run asks before replacing the file)', { exitCode: ExitCode.invalidInput, fix: 'add --yes, or drop --force' });
  }
  return {
    hostname: flags.hostname,
    http: flags.http,
    httpsPort: portFlag('--https-port', flags.httpsPort),
    httpPort: portFlag('--http-port', flags.httpPort),
    sans: flags.san,
    dataVolume: flags.dataVolume,
    certDir: flags.certDir,
    trivy: flags.trivy,
    existingCert: flags.certificate && flags.privateKey ? { certificate: flags.certificate, privateKey: flags.privateKey, ca: flags.ca } : undefined,
  };
}

/** Where the generated passwords are: shown once on an interactive terminal, never in the result. */
function generatedPasswordKeys(result: InitResult): string[] {
  const m = result.model;
  return [m.generatedPasswords.admin && 'harbor_admin_password', m.generatedPasswords.database && !m.externalDatabase && 'database.password'].filter(Boolean) as string[];
}

function resultLines(result: InitResult, prompter: Prompter): string[] {
  const lines = [`wrote ${result.file} (mode 0600) for Harbor ${result.release.version}`, ...result.summary];
  if (result.createdCa) lines.push(`created CA ${result.createdCa} (clients trust this one; its key stays on this host)`);
  if (result.createdCert) lines.push(`created server certificate ${result.createdCert}`);
  const m = result.model;
  const generated = generatedPasswordKeys(result);
  if (prompter.interactive) {
    // once, on the terminal only: never in the result (stdout logs, --json)
    prompter.say('');
    if (m.generatedPasswords.admin) prompter.say(`  admin password (user admin):  ${m.adminPassword}`);
    if (generated.includes('database.password')) prompter.say(`  database password:            ${m.databasePassword}`);
    if (generated.length) prompter.say(`  shown once: note them now. They are also in ${result.file} (0600) until Harbor's first start uses them.`);
  } else if (generated.length) {
    lines.push(`generated ${generated.join(' and ')}: not printed; read them from ${result.file} (mode 0600)`);
  }
  return lines;
}

function resultData(result: InitResult): Record<string, unknown> {
  const m = result.model;
  return {
    file: result.file,
    backup: result.backup,
    release: result.release.version,
    hostname: m.hostname,
    protocol: m.protocol,
    ports: m.protocol === 'https' ? { https: m.httpsPort, http: m.httpPort } : { http: m.httpPort },
    certificate: m.cert ? { kind: m.cert.kind, ...(m.cert.kind === 'generate' ? { sans: m.cert.sans } : {}), ca: result.caCert, created: Boolean(result.createdCert) } : undefined,
    trivy: m.trivy,
    notary: m.notary,
    // where the passwords are, never their values
    passwords: { file: result.file, keys: ['harbor_admin_password', 'database.password'], generated: generatedPasswordKeys(result) },
  };
}

export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const cmd = program
    .command('init')
    .description('Write a harbor.yml by asking a few questions (or, with --yes, by taking every default), with certificates and strong passwords')
    .option('-o, --output <file>', 'the harbor.yml to write (default: ./harbor.yml); an existing one is replaced only after confirmation, backed up first')
    .option('--data-volume <dir>', "Harbor's data directory (default: /data)")
    .option('--cert-dir <dir>', `where a generated CA (ca/) and server certificate (harbor.crt, harbor.key) go (default: ${DEFAULT_CERT_DIR})`)
    .option('-y, --yes', 'ask nothing: take every default (and the values of the flags below), generate certificates and passwords')
    .option('--hostname <name>', "the name or address clients use (default: the host's FQDN, else its first address)")
    .option('--http', 'serve plain http (every client then needs insecure-registries); default https')
    .option('--https-port <n>', 'https port (default: 443)')
    .option('--http-port <n>', 'http port: redirects to https, or the only port with --http (default: 80)')
    .option('--certificate <file>', 'use this server certificate (PEM, leaf first) instead of generating one; it must pass the cert check linter for the hostname')
    .option('--private-key <file>', 'the private key of --certificate')
    .option('--ca <file>', 'with --certificate: the CA clients should trust (offered on the portal, used by regctl cert trust)')
    .option('--san <value>', "a name or address the generated certificate covers (repeatable; default: the hostname and the host's addresses)", collect)
    .option('--no-trivy', 'do not plan the Trivy scanner (default: on; install then runs with --with-trivy)')
    .option('--force', 'with --yes: replace an existing --output (backed up first)');
  harborVersionOption(cmd);
  rootOption(cmd);
  jsonOption(cmd)
    .addHelpText(
      'after',
      `
Examples:
  regctl init                                     # in a terminal: asks, proposes this host's FQDN and addresses
  regctl init --yes --hostname reg.example.com    # no questions: https on 443 (80 redirects), a new CA, generated passwords
  regctl init --yes --http --http-port 8080 --output /opt/harbor/harbor.yml
  regctl init --yes --hostname reg.example.com --certificate /etc/pki/reg.crt --private-key /etc/pki/reg.key --ca /etc/pki/corp-ca.crt
  regctl init --harbor-version 2.14.4 --data-volume /srv/harbor --cert-dir /srv/harbor/certs
  mkdir -p /tmp/try && regctl init --yes --output /tmp/try/harbor.yml --root /tmp/try   # certificates under /tmp/try

Answers are checked as prepare checks the file, and asked again on error. Nothing is written before
the last answer; Ctrl-C at a prompt writes nothing (exit 2). The file is written with mode 0600.
Passwords: generated ones (20 characters) are shown once on the terminal at the end of an
interactive run; they are never printed under --yes or in --json output, and are read from the
written harbor.yml itself (harbor_admin_password, database.password).
Without a terminal, init needs --yes (exit 2 otherwise).`,
    )
    .action(
      action(ctx, setExit, async (run, flags: InitFlags) => {
        const root = await resolveRootFlag(run.cwd, flags.root);
        const defaults = initDefaults(flags);
        const terminal = Boolean(run.stdinIsTTY) && (run.json ? Boolean(process.stderr.isTTY) : run.isTTY);
        if (!flags.yes && !terminal) {
          throw new RegctlError('E_NO_TTY', 'regctl init asks questions, and there is no terminal to ask on (stdin or stdout is not a TTY); nothing was written', {
            exitCode: ExitCode.invalidInput,
            fix: 'run it with --yes to take every default without asking (--hostname, --http, --https-port, --san ... change them), or run it in a terminal',
          });
        }
        const { runInit } = await import('../init/run.js');
        const { defaultsPrompter, terminalPrompter } = await import('../init/prompter.js');
        const prompter: Prompter = flags.yes ? defaultsPrompter() : await terminalPrompter(run.json ? process.stderr : process.stdout);
        const result = await runInit({ cwd: run.cwd, out: run.out, prompter, output: flags.output, root, release: flags.harborVersion, defaults, force: flags.force });
        const lines = resultLines(result, prompter);
        let exitCode: number = ExitCode.ok;
        if (prompter.interactive && (await prompter.confirm({ id: 'run-install', message: 'Run regctl install now?', default: false }))) {
          const { execa } = await import('execa');
          const r = await execa(process.execPath, [process.argv[1]!, ...result.installArgs], { stdio: 'inherit', reject: false });
          exitCode = r.exitCode ?? ExitCode.failure;
        }
        return { exitCode, findings: result.findings, lines, next: result.next, data: resultData(result) };
      }),
    );
}
