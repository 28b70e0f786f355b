/**
 * The init use-case: detect, ask (or take the defaults under --yes), then, only after the last
 * answer, create the certificates and write harbor.yml (0600, atomically, an existing file backed
 * up first). Ctrl-C at a prompt ends the run before anything is written.
 *
 * Passwords never enter the result (so never the JSON envelope or a log of stdout under --yes):
 * an interactive run shows them once on the terminal at the end; every run names the 0600
 * harbor.yml that holds them (Harbor reads them from there on its first start).
 */
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'node:net';
import { ExitCode, RegctlError, invalidConfig, type Problem } from '../errors.js';
import type { Output } from '../output.js';
import { resolveRelease, lineOf } from '../releases/index.js';
import type { HarborRelease } from '../releases/types.js';
import { statIfExists } from '../util/fs.js';
import { underRoot } from '../util/root.js';
import { checkConfigText } from '../config/load.js';
import { backupFile, writeFilesAtomically } from '../cert/files.js';
import { CA_CERT_FILE } from '../cert/ca.js';
import { commandLine } from '../commands/flags.js';
import { classifyAddresses, freeSpaceText, type HostDetection } from './detect.js';
import { CA_SUBDIR, certificatePaths, type InitModel } from './model.js';
import { isPromptAbort, type Prompter } from './prompter.js';
import { generatePassword, runQuestions, type InitDefaults, type PortVerdict, type WizardEnv } from './questions.js';
import { renderHarborYml } from './template.js';

export interface InitRunOptions {
  cwd: string;
  out: Output;
  prompter: Prompter;
  /** --output (default ./harbor.yml); a path typed on the command line, taken as given */
  output?: string;
  root?: string;
  /** --harbor-version */
  release?: string;
  defaults: InitDefaults;
  /** replace an existing file without asking (--yes --force) */
  force?: boolean;
  /** seams for tests */
  detect?: () => Promise<HostDetection>;
  checkPort?: WizardEnv['checkPort'];
  testConnection?: WizardEnv['testConnection'];
  now?: Date;
}

export interface InitResult {
  file: string;
  backup?: string;
  model: InitModel;
  release: HarborRelease;
  createdCa?: string;
  createdCert?: string;
  /** the CA clients must trust (generated, or the one given for existing files) */
  caCert?: string;
  findings: Problem[];
  /** the summary, for people (no secrets) */
  summary: string[];
  next: string[];
  /** the flags `regctl install` needs for this file */
  installArgs: string[];
}

export async function detectHost(): Promise<HostDetection> {
  const { machineIdentity } = await import('../cert/host-identity.js');
  const id = await machineIdentity();
  return { fqdn: id.fqdn, shortName: id.hostname || os.hostname(), addresses: classifyAddresses(id.interfaces) };
}

async function doctorPortCheck(port: number, purpose: string, key: string): Promise<PortVerdict> {
  const { checkPortNow } = await import('../doctor/checks/ports.js');
  const r = await checkPortNow({ host: '0.0.0.0', port, purpose, key });
  return { free: r.status === 'pass', detail: r.detail, fix: r.fix };
}

/** A TCP connect within 3 s: enough to tell a typo or a firewall from a server that answers. */
export function tcpConnectionTest(host: string, port: number, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (why: string | undefined) => {
      socket.destroy();
      resolve(why);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

async function checkOutput(file: string, force: boolean, interactive: boolean): Promise<boolean> {
  const st = await statIfExists(file);
  if (!st) return false;
  if (!st.isFile()) {
    throw new RegctlError('E_OUTPUT_NOT_FILE', `${file} exists and is not a regular file`, { file, exitCode: ExitCode.invalidInput, fix: 'choose another --output' });
  }
  if (!interactive && !force) {
    throw new RegctlError('E_FILE_EXISTS', `${file} already exists; nothing was written`, {
      file,
      exitCode: ExitCode.invalidInput,
      fix: 'pass --force to replace it (it is backed up first as FILE.bak-<time>), or choose another --output',
    });
  }
  return true;
}

function registryAddress(m: InitModel): string {
  const port = m.protocol === 'https' ? m.httpsPort : m.httpPort;
  const host = m.hostname.includes(':') ? `[${m.hostname}]` : m.hostname;
  return (m.protocol === 'https' && port === 443) || (m.protocol === 'http' && port === 80) ? host : `${host}:${port}`;
}

export function summaryLines(m: InitModel, file: string): string[] {
  const lines = [
    `Harbor ${m.release.version} (the ${lineOf(m.release)} line) at ${m.protocol}://${registryAddress(m)}`,
    `  ${m.protocol === 'https' ? `https port ${m.httpsPort}, http port ${m.httpPort} redirecting to it` : `plain http on port ${m.httpPort} (clients need insecure-registries)`}`,
  ];
  if (m.cert?.kind === 'generate') {
    const { certificate } = certificatePaths(m.cert);
    lines.push(`  certificate ${certificate}, signed by a new CA in ${path.join(m.cert.certDir, CA_SUBDIR)}, for ${m.cert.sans.join(', ')}`);
  } else if (m.cert) lines.push(`  certificate ${m.cert.certificate} (your files)${m.cert.ca ? `, CA ${m.cert.ca}` : ''}`);
  lines.push(
    `  admin password ${m.generatedPasswords.admin ? 'generated' : 'typed'}, database password ${m.externalDatabase ? 'of the external database' : m.generatedPasswords.database ? 'generated' : 'typed'}`,
    `  data_volume ${m.dataVolume}, logs in ${m.logLocation}`,
    `  Trivy ${m.trivy ? 'on' : 'off'}${m.release.capabilities.notary ? `, Notary ${m.notary ? 'on' : 'off'}` : ''}${m.proxy.httpProxy ? `, proxy ${m.proxy.httpProxy}` : ''}`,
  );
  if (m.externalDatabase) lines.push(`  external PostgreSQL ${m.externalDatabase.host}:${m.externalDatabase.port}/${m.externalDatabase.dbName}`);
  if (m.externalRedis) lines.push(`  external Redis ${m.externalRedis.host}`);
  lines.push(`  written to ${file} (mode 0600)`);
  return lines;
}

/** The harbor.yml text for a model, with every error config loading would report on it refused. */
function finalText(m: InitModel, root: string | undefined, now: Date): string {
  const text = renderHarborYml(m, { generatedAt: now.toISOString().slice(0, 10) });
  const { problems } = checkConfigText('harbor.yml', text, { withTrivy: m.trivy, schemaVersion: m.release.schemaVersion, generateCerts: m.cert?.kind === 'generate', root });
  if (problems.some((p) => p.severity === 'error')) throw invalidConfig(problems);
  return text;
}

export async function runInit(opts: InitRunOptions): Promise<InitResult> {
  const now = opts.now ?? new Date();
  const release = resolveRelease(opts.release);
  const file = path.resolve(opts.cwd, opts.output ?? 'harbor.yml');
  const exists = await checkOutput(file, Boolean(opts.force), opts.prompter.interactive);
  const env: WizardEnv = {
    prompter: opts.prompter,
    detection: await (opts.detect ?? detectHost)(),
    release,
    defaults: opts.defaults,
    cwd: opts.cwd,
    root: opts.root,
    checkPort: opts.checkPort ?? doctorPortCheck,
    lintCertificate: async (o) => (await import('../cert/lint.js')).lintCertificate(o),
    testConnection: opts.testConnection ?? ((h, port) => tcpConnectionTest(h, port)),
    freeSpace: freeSpaceText,
    generatePassword,
    findings: [],
  };
  const { model, text } = await askAndConfirm(env, file, exists, now);
  const result: InitResult = { file, model, release, findings: env.findings, summary: [], next: [], installArgs: [] };
  await writeInitFiles(result, text, exists, opts.root, now);
  checkWrittenFile(result, text, opts.root);
  describeNextSteps(result, opts);
  return result;
}

/** Every question, the summary and (interactive) the confirmations; nothing is written here. */
async function askAndConfirm(env: WizardEnv, file: string, exists: boolean, now: Date): Promise<{ model: InitModel; text: string }> {
  const p = env.prompter;
  try {
    const model = await runQuestions(env);
    const text = finalText(model, env.root, now);
    if (p.interactive) {
      p.say('');
      for (const l of summaryLines(model, file)) p.say(l);
      if (exists && !(await p.confirm({ id: 'replace', message: `${file} exists. Replace it (the old one is kept as ${path.basename(file)}.bak-<time>)?`, default: false }))) {
        throw new RegctlError('E_NOT_REPLACED', `${file} was kept; nothing was written`, { file, exitCode: ExitCode.invalidInput, fix: 'run regctl init again with another --output' });
      }
      if (!(await p.confirm({ id: 'write', message: `Write ${file}${model.cert?.kind === 'generate' ? ' and the certificates' : ''}?`, default: true }))) {
        throw new RegctlError('E_ABORTED', 'nothing was written', { exitCode: ExitCode.invalidInput, fix: 'run regctl init again' });
      }
    }
    return { model, text };
  } catch (err) {
    if (isPromptAbort(err)) {
      throw new RegctlError('E_ABORTED', 'cancelled at a prompt (Ctrl-C); nothing was written', { exitCode: ExitCode.invalidInput, fix: 'run regctl init again, or regctl init --yes to take every default' });
    }
    throw err;
  }
}

/** The certificates (when generated), the backup of an existing file, then harbor.yml itself. */
async function writeInitFiles(result: InitResult, text: string, exists: boolean, root: string | undefined, now: Date): Promise<void> {
  const { model, file } = result;
  // from here on the run writes: Ctrl-C (SIGINT) waits until the files are complete
  const ignore = () => {};
  process.on('SIGINT', ignore);
  try {
    if (model.cert?.kind === 'generate') {
      const { ensureServerCertificate } = await import('../cert/for-prepare.js');
      const { certificate, privateKey } = certificatePaths(model.cert);
      const caDir = path.join(model.cert.certDir, CA_SUBDIR);
      const made = await ensureServerCertificate({ caDir: underRoot(root, caDir), certPath: underRoot(root, certificate), keyPath: underRoot(root, privateKey), sans: model.cert.sans, now });
      result.caCert = path.join(caDir, CA_CERT_FILE);
      if (made.createdCa) result.createdCa = result.caCert;
      if (made.createdLeaf) result.createdCert = certificate;
      if (!made.createdLeaf) result.findings.push({ severity: 'note', code: 'N_CERT_KEPT', message: `${certificate} existed and was kept (the cert check linter found no error for ${model.cert.sans.join(', ')})` });
    } else if (model.cert?.kind === 'existing') result.caCert = model.cert.ca;
    if (exists) result.backup = await backupFile(file, now);
    await writeFilesAtomically([{ path: file, content: text, mode: 0o600 }]);
  } finally {
    process.removeListener('SIGINT', ignore);
  }
}

/** The written file, read back as prepare will read it (the certificate now exists): its warnings. */
function checkWrittenFile(result: InitResult, text: string, root: string | undefined): void {
  const { model, file } = result;
  const check = checkConfigText(file, text, { withTrivy: model.trivy, schemaVersion: result.release.schemaVersion, root });
  result.findings.push(...check.problems.filter((pr) => pr.severity !== 'error' && !(model.protocol === 'http' && pr.code === 'W_HTTP_INSECURE')));
  if (model.protocol === 'http') {
    result.findings.push({ severity: 'warning', code: 'W_HTTP_INSECURE', message: 'plain http: every client must list this registry under insecure-registries', fix: `on each client: ${commandLine(['cert', 'trust'], [['--insecure', true], ['--registry', registryAddress(model)]])}` });
  }
}

/** The summary, the `regctl install` line for this file and what each client needs. */
function describeNextSteps(result: InitResult, opts: InitRunOptions): void {
  const { model, file, release } = result;
  const installFlags: [string, string | boolean | undefined][] = [
    ['--config', file],
    ['--root', opts.root],
    ['--harbor-version', opts.release ? release.version.replace(/^v/, '') : undefined],
    ['--with-trivy', model.trivy],
    ['--with-notary', model.notary],
  ];
  result.installArgs = commandLine(['install'], installFlags).split(' ').slice(2);
  result.summary = summaryLines(model, file);
  if (result.backup) result.summary.push(`  the previous ${path.basename(file)} is kept as ${result.backup}`);
  result.next.push(`${commandLine(['install'], installFlags)}   (checks the host, renders, starts Harbor, waits until it answers)`);
  const registry = registryAddress(model);
  if (model.protocol === 'https' && result.caCert) {
    result.next.push(`${commandLine(['cert', 'trust'], [['--ca', result.caCert], ['--registry', registry]])}   (on each client, with ${path.basename(result.caCert)} copied there)`);
  } else if (model.protocol === 'http') {
    result.next.push(`${commandLine(['cert', 'trust'], [['--insecure', true], ['--registry', registry]])}   (on each client)`);
  }
}
