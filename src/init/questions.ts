/**
 * The questions of `regctl init`, as a table: each entry has an id, a prompt kind, a default
 * from detection (or a flag), and the config keys whose validation decides whether an answer is
 * taken. An answer is checked by rendering the draft harbor.yml with it and running the same
 * validation `prepare` runs on a file (checkConfigText); a problem on one of the entry's keys is
 * shown and the question asked again. The few multi-step questions (certificate files, typed
 * passwords, external services with a connection test) are `custom` entries.
 */
import path from 'node:path';
import { checkConfigText } from '../config/load.js';
import { ExitCode, RegctlError, type Problem } from '../errors.js';
import type { HarborRelease } from '../releases/types.js';
import type { CertFinding, LintOptions } from '../cert/lint.js';
import { parseSan } from '../cert/san.js';
import { underRoot } from '../util/root.js';
import { statIfExists } from '../util/fs.js';
import { describeAddresses, proposedHostname, unusableAddressReason, usableAddresses, type HostDetection } from './detect.js';
import { DEFAULT_CERT_DIR, certificatePaths, type InitModel } from './model.js';
import type { Prompter, Validator } from './prompter.js';
import { renderHarborYml } from './template.js';
import { randomAlnum } from '../secrets/random.js';
import { lineOf } from '../releases/index.js';

/** Values given on the command line: they become the defaults (and under --yes, the answers). */
export interface InitDefaults {
  hostname?: string;
  http?: boolean;
  httpsPort?: number;
  httpPort?: number;
  sans?: string[];
  dataVolume?: string;
  certDir?: string;
  logLocation?: string;
  trivy?: boolean;
  /** --certificate, --private-key, --ca: files the operator has (checked with the cert check linter) */
  existingCert?: { certificate: string; privateKey: string; ca?: string };
}

export interface PortVerdict {
  free: boolean;
  detail: string;
  fix: string;
}

export interface WizardEnv {
  prompter: Prompter;
  detection: HostDetection;
  release: HarborRelease;
  defaults: InitDefaults;
  cwd: string;
  root?: string;
  /** doctor's port check, for one port */
  checkPort(port: number, purpose: string, key: string): Promise<PortVerdict>;
  /** the `cert check` linter */
  lintCertificate(opts: LintOptions): Promise<CertFinding[]>;
  /** a TCP connection test: undefined when it connected, else why not */
  testConnection(host: string, port: number): Promise<string | undefined>;
  freeSpace(p: string): Promise<string | undefined>;
  generatePassword(): string;
  /** warnings met on the way (a port in use under --yes) */
  findings: Problem[];
}

type When = (d: InitModel, env: WizardEnv) => boolean;

export type Entry =
  | {
      id: string;
      kind: 'input';
      when?: When;
      message: (d: InitModel, env: WizardEnv) => string | Promise<string>;
      default: (d: InitModel, env: WizardEnv) => string;
      /** config keys whose problems reject the answer */
      keys: string[];
      /** checks config validation cannot make (a port number's syntax, this host's addresses) */
      check?: (value: string, d: InitModel, env: WizardEnv) => string | undefined | Promise<string | undefined>;
      set: (d: InitModel, value: string, env: WizardEnv) => void;
      /** after the answer is taken (a port in use is confirmed here) */
      after?: (d: InitModel, env: WizardEnv) => Promise<'ok' | 'again'>;
    }
  | { id: string; kind: 'confirm'; when?: When; message: (d: InitModel, env: WizardEnv) => string; default: (d: InitModel, env: WizardEnv) => boolean; set: (d: InitModel, value: boolean) => void }
  | {
      id: string;
      kind: 'select';
      when?: When;
      message: string;
      choices: (d: InitModel, env: WizardEnv) => { name: string; value: string; description?: string }[];
      default: (d: InitModel, env: WizardEnv) => string;
      set: (d: InitModel, value: string, env: WizardEnv) => Promise<void> | void;
    }
  | { id: string; kind: 'custom'; when?: When; run: (d: InitModel, env: WizardEnv) => Promise<void> };

/** The draft every question starts from: the defaults, with generated passwords. */
export function initialModel(env: WizardEnv): InitModel {
  const f = env.defaults;
  const hostname = f.hostname ?? proposedHostname(env.detection);
  return {
    release: env.release,
    hostname,
    protocol: f.http ? 'http' : 'https',
    httpPort: f.httpPort ?? 80,
    httpsPort: f.httpsPort ?? 443,
    cert: f.http ? undefined : { kind: 'generate', certDir: f.certDir ?? DEFAULT_CERT_DIR, sans: defaultSans(hostname, env) },
    adminPassword: env.generatePassword(),
    databasePassword: env.generatePassword(),
    generatedPasswords: { admin: true, database: true },
    dataVolume: f.dataVolume ?? '/data',
    logLocation: f.logLocation ?? '/var/log/harbor',
    trivy: f.trivy ?? true,
    notary: false,
    proxy: { httpProxy: '', httpsProxy: '', noProxy: '' },
  };
}

/** The hostname, then the host's usable addresses (or the --san values). */
export function defaultSans(hostname: string, env: Pick<WizardEnv, 'detection' | 'defaults'>): string[] {
  if (env.defaults.sans?.length) return [...env.defaults.sans];
  const out = [hostname.toLowerCase()];
  for (const a of usableAddresses(env.detection)) if (!out.includes(a)) out.push(a);
  return out;
}

/** A strong generated password: 20 of [A-Za-z0-9], with at least one of each class (Harbor's admin rule). */
export function generatePassword(): string {
  for (;;) {
    const p = randomAlnum(20);
    if (!passwordWeakness(p)) return p;
  }
}

const WELL_KNOWN = new Set(['harbor12345', 'root123', 'password', 'changeme', 'admin123']);

/** Why a typed password is too weak, or undefined. Harbor's admin rule (upper, lower, digit) plus length 12. */
export function passwordWeakness(p: string): string | undefined {
  if (p.length < 12) return `it has ${p.length} characters; use at least 12`;
  if (p.length > 128) return 'Harbor accepts at most 128 characters';
  if (!/[a-z]/.test(p) || !/[A-Z]/.test(p) || !/[0-9]/.test(p)) return 'it needs an upper-case letter, a lower-case letter and a digit (Harbor refuses the admin password otherwise)';
  if (WELL_KNOWN.has(p.toLowerCase()) || /^(.)\1+$/.test(p)) return 'it is a well-known or repeated password';
  if (/[\r\n\u0000-\u001f\u007f]/.test(p)) return 'it contains a control character';
  return undefined;
}

/** The problems config validation finds on `keys` when the draft takes this change. */
export function configProblems(d: InitModel, env: Pick<WizardEnv, 'root'>, keys: string[]): Problem[] {
  const text = renderHarborYml(d);
  const { problems } = checkConfigText('harbor.yml', text, {
    withTrivy: d.trivy,
    schemaVersion: d.release.schemaVersion,
    generateCerts: d.cert?.kind === 'generate',
    root: env.root,
  });
  return problems.filter((p) => p.severity === 'error' && p.key !== undefined && keys.some((k) => p.key === k || p.key!.startsWith(`${k}.`)));
}

const problemText = (p: Problem) => (p.fix ? `${p.message} (fix: ${p.fix})` : p.message);

function clone(d: InitModel): InitModel {
  return structuredClone({ ...d, release: undefined }) as unknown as InitModel;
}

/** The validator of an input entry: its own check, then config validation on its keys. */
export function entryValidator(e: Extract<Entry, { kind: 'input' }>, d: InitModel, env: WizardEnv): Validator<string> {
  return async (raw) => {
    const value = raw.trim();
    const own = await e.check?.(value, d, env);
    if (own) return own;
    const draft = { ...clone(d), release: d.release };
    e.set(draft, value, env);
    const problems = configProblems(draft, env, e.keys);
    return problems.length ? problems.map(problemText).join('; ') : true;
  };
}

export function parsePort(value: string): number | undefined {
  return /^\d{1,5}$/.test(value) ? Number(value) : undefined;
}

const portCheck = (v: string) => (parsePort(v) === undefined ? `'${v}' is not a port number (1-65535)` : undefined);

/** Port in use: named (doctor's check); a person may keep it, --yes keeps it with a warning. */
function portInUse(which: 'http' | 'https'): (d: InitModel, env: WizardEnv) => Promise<'ok' | 'again'> {
  return async (d, env) => {
    const port = which === 'https' ? d.httpsPort : d.httpPort;
    const key = `${which}.port`;
    const verdict = await env.checkPort(port, which, key);
    if (verdict.free) return 'ok';
    if (!env.prompter.interactive) {
      env.findings.push({ severity: 'warning', code: 'W_PORT_IN_USE', message: `port ${port} (${which}): ${verdict.detail}`, key, fix: verdict.fix });
      return 'ok';
    }
    env.prompter.say(`! port ${port}: ${verdict.detail}`);
    env.prompter.say(`  fix: ${verdict.fix}`);
    const keep = await env.prompter.confirm({ id: `${which}-port-in-use`, message: `Keep port ${port} anyway (it must be free before regctl install)?`, default: false });
    return keep ? 'ok' : 'again';
  };
}

function absolute(env: WizardEnv, p: string): string {
  return path.resolve(env.cwd, p);
}

async function askPassword(d: InitModel, env: WizardEnv, which: 'admin' | 'database'): Promise<void> {
  const label = which === 'admin' ? 'Harbor admin password' : 'database password';
  const how = await env.prompter.select({
    id: `${which}-password`,
    message: `${label[0]!.toUpperCase()}${label.slice(1)}:`,
    choices: [
      { name: 'generate a strong one (shown once at the end)', value: 'generate' },
      { name: 'type one', value: 'type' },
    ],
    default: 'generate',
  });
  if (how === 'generate') return;
  const first = await env.prompter.password({
    id: `${which}-password-typed`,
    message: `${label} (at least 12 characters, upper and lower case and a digit):`,
    validate: (v) => {
      const weak = passwordWeakness(v);
      return weak ? `too weak: ${weak}` : true;
    },
  });
  await env.prompter.password({ id: `${which}-password-repeat`, message: `${label} again:`, validate: (v) => (v === first ? true : 'the two passwords differ; type the same one again') });
  if (which === 'admin') d.adminPassword = first;
  else d.databasePassword = first;
  d.generatedPasswords[which] = false;
}

/** Existing certificate files: asked until the `cert check` linter finds no error in them. */
async function askExistingCertificate(d: InitModel, env: WizardEnv): Promise<void> {
  const p = env.prompter;
  for (;;) {
    const at = (v: string) => underRoot(env.root, absolute(env, v));
    const exists = async (v: string) => {
      if (!v) return 'a path is required';
      const st = await statIfExists(at(v), { follow: true });
      return st?.isFile() ? undefined : `${at(v)} ${st ? 'is not a regular file' : 'does not exist'}`;
    };
    const given = env.defaults.existingCert;
    const certificate = absolute(env, await p.input({ id: 'cert-file', message: 'Server certificate file (PEM, leaf first, then intermediates):', default: given?.certificate, validate: async (v) => (await exists(v.trim())) ?? true }));
    const privateKey = absolute(env, await p.input({ id: 'key-file', message: 'Its private key file (PEM, unencrypted):', default: given?.privateKey, validate: async (v) => (await exists(v.trim())) ?? true }));
    const caRaw = (await p.input({ id: 'ca-file', message: 'The CA certificate clients should trust (empty: none to install):', default: given?.ca ?? '' })).trim();
    const ca = caRaw ? absolute(env, caRaw) : undefined;
    const findings = await env.lintCertificate({ cert: at(certificate), key: at(privateKey), hosts: [d.hostname], ca: ca && at(ca) });
    const draft = { ...clone(d), release: d.release, cert: { kind: 'existing' as const, certificate, privateKey, ca } };
    const config = configProblems(draft, env, ['https']);
    const errors = [...findings.filter((f) => f.severity === 'error').map((f) => `${f.message} (fix: ${f.fix})`), ...config.map(problemText)];
    for (const f of findings.filter((f) => f.severity === 'warning')) p.say(`  warning: ${f.message}`);
    if (!errors.length) {
      d.cert = draft.cert;
      p.say(`  ${certificate}: the cert check linter found no error for ${d.hostname}`);
      return;
    }
    if (!p.interactive) {
      throw new RegctlError('E_INIT_CERTIFICATE', `--certificate ${certificate} cannot serve ${d.hostname}: ${errors.join('; ')}`, {
        exitCode: ExitCode.invalidInput,
        key: '--certificate',
        fix: 'pass a certificate and key that cover the hostname (regctl cert check shows what is wrong), or leave --certificate out to generate them; nothing was written',
      });
    }
    for (const e of errors) p.say(`! ${e}`);
    p.say('  choose the files again');
  }
}

/** host, port, database, user, password, sslmode; then a TCP connection test. */
async function askExternalDatabase(d: InitModel, env: WizardEnv): Promise<void> {
  const p = env.prompter;
  for (;;) {
    const host = (await p.input({ id: 'db-host', message: 'External PostgreSQL host:', validate: (v) => (v.trim() && !/[\s/:@]/.test(v.trim()) ? true : 'a host name or address, without port or scheme') })).trim();
    const port = Number(await p.input({ id: 'db-port', message: 'Its port:', default: '5432', validate: (v) => portCheck(v.trim()) ?? true }));
    const dbName = (await p.input({ id: 'db-name', message: 'Database name:', default: 'registry', validate: (v) => (v.trim() ? true : 'required') })).trim();
    const username = (await p.input({ id: 'db-user', message: 'User name:', default: 'postgres', validate: (v) => (v.trim() ? true : 'required') })).trim();
    const password = await p.password({ id: 'db-password', message: 'Its password:', validate: (v) => (v ? true : 'required (Harbor connects with a password)') });
    const sslMode = await p.select({
      id: 'db-ssl-mode',
      message: 'TLS to the database (sslmode):',
      choices: ['disable', 'require', 'verify-ca', 'verify-full'].map((m) => ({ name: m, value: m })),
      default: 'disable',
    });
    const candidate = { host, port, dbName, username, password, sslMode };
    const problems = configProblems({ ...clone(d), release: d.release, externalDatabase: candidate }, env, ['external_database']);
    if (problems.length) {
      for (const pr of problems) p.say(`! ${problemText(pr)}`);
      continue;
    }
    if (await reachable(env, host, port, 'external-db')) {
      d.externalDatabase = candidate;
      return;
    }
  }
}

async function askExternalRedis(d: InitModel, env: WizardEnv): Promise<void> {
  const p = env.prompter;
  for (;;) {
    const host = (
      await p.input({
        id: 'redis-host',
        message: 'External Redis host:port:',
        validate: (v) => (/^[^\s:/@]+:\d{1,5}$/.test(v.trim()) ? true : 'write it as host:port, e.g. redis.example.com:6379'),
      })
    ).trim();
    const password = await p.password({ id: 'redis-password', message: 'Its password (empty: none):' });
    const candidate = { host, password };
    const problems = configProblems({ ...clone(d), release: d.release, externalRedis: candidate }, env, ['external_redis']);
    if (problems.length) {
      for (const pr of problems) p.say(`! ${problemText(pr)}`);
      continue;
    }
    const [h, port] = [host.slice(0, host.lastIndexOf(':')), Number(host.slice(host.lastIndexOf(':') + 1))];
    if (await reachable(env, h, port, 'external-redis')) {
      d.externalRedis = candidate;
      return;
    }
  }
}

/** The connection test: reachable, or kept after a confirmation (the server may not be up yet). */
async function reachable(env: WizardEnv, host: string, port: number, id: string): Promise<boolean> {
  const why = await env.testConnection(host, port);
  if (!why) {
    env.prompter.say(`  connected to ${host}:${port}`);
    return true;
  }
  env.prompter.say(`! cannot connect to ${host}:${port}: ${why}`);
  return env.prompter.confirm({ id: `${id}-unreachable`, message: 'Use it anyway (it must answer before regctl install)?', default: false });
}

const isHttps = (d: InitModel) => d.protocol === 'https';

export const QUESTIONS: readonly Entry[] = [
  {
    id: 'hostname',
    kind: 'input',
    message: (_d, env) => {
      for (const l of describeAddresses(env.detection)) env.prompter.say(l);
      return 'Hostname clients use to reach Harbor (a DNS name or one of the addresses above):';
    },
    default: (d) => d.hostname,
    keys: ['hostname'],
    check: (v, _d, env) => (v ? unusableAddressReason(env.detection, v) : 'a hostname is required'),
    set: (d, v, env) => {
      const before = defaultSans(d.hostname, env);
      d.hostname = v;
      // the SANs follow the hostname (the new one plus the host's addresses) until they are edited
      if (d.cert?.kind === 'generate' && d.cert.sans.join() === before.join()) d.cert.sans = defaultSans(v, env);
    },
  },
  {
    id: 'protocol',
    kind: 'select',
    message: 'Protocol:',
    choices: () => [
      { name: 'https (443, with 80 redirecting to it)', value: 'https' },
      { name: 'http only (every client must list it under insecure-registries)', value: 'http' },
    ],
    default: (d) => d.protocol,
    set: async (d, v, env) => {
      if (v === 'http' && env.prompter.interactive) {
        env.prompter.say('! plain http: passwords and tokens cross the network in clear text, and every Docker, containerd and podman');
        env.prompter.say('  client must list this registry under insecure-registries (regctl cert trust --insecure --registry HOST:PORT on each)');
        const sure = await env.prompter.confirm({ id: 'http-insecure', message: 'Serve plain http anyway?', default: false });
        if (!sure) v = 'https';
      }
      d.protocol = v === 'http' ? 'http' : 'https';
      if (d.protocol === 'http') d.cert = undefined;
      else d.cert ??= { kind: 'generate', certDir: env.defaults.certDir ?? DEFAULT_CERT_DIR, sans: defaultSans(d.hostname, env) };
    },
  },
  {
    id: 'https-port',
    kind: 'input',
    when: isHttps,
    message: () => 'https port:',
    default: (d) => String(d.httpsPort),
    keys: ['https.port'],
    check: portCheck,
    set: (d, v) => void (d.httpsPort = Number(v)),
    after: portInUse('https'),
  },
  {
    id: 'http-port',
    kind: 'input',
    message: (d) => (isHttps(d) ? 'http port (redirects to https):' : 'http port:'),
    default: (d) => String(d.httpPort),
    keys: ['http.port', 'https.port'],
    check: portCheck,
    set: (d, v) => void (d.httpPort = Number(v)),
    after: portInUse('http'),
  },
  {
    id: 'certificate',
    kind: 'select',
    when: isHttps,
    message: 'Server certificate:',
    choices: () => [
      { name: 'generate a CA and a certificate signed by it', value: 'generate' },
      { name: 'use certificate files I have', value: 'existing' },
    ],
    default: (_d, env) => (env.defaults.existingCert ? 'existing' : 'generate'),
    set: async (d, v, env) => {
      if (v === 'existing') await askExistingCertificate(d, env);
      else if (d.cert?.kind !== 'generate') d.cert = { kind: 'generate', certDir: env.defaults.certDir ?? DEFAULT_CERT_DIR, sans: defaultSans(d.hostname, env) };
    },
  },
  {
    id: 'sans',
    kind: 'input',
    when: (d) => d.cert?.kind === 'generate',
    message: () => 'Names and addresses the certificate covers (comma-separated; edit to add or remove):',
    default: (d) => (d.cert?.kind === 'generate' ? d.cert.sans.join(', ') : ''),
    keys: ['https.certificate'],
    check: (v, d) => {
      const values = v.split(/[,\s]+/).filter(Boolean);
      if (!values.length) return 'at least the hostname';
      for (const s of values) {
        try {
          parseSan(s, 'server certificate name');
        } catch (e) {
          return (e as Error).message;
        }
      }
      if (!values.some((s) => s.toLowerCase() === d.hostname.toLowerCase())) return `the list must include the hostname ${d.hostname}: clients check it`;
      return undefined;
    },
    set: (d, v) => {
      if (d.cert?.kind === 'generate') d.cert.sans = v.split(/[,\s]+/).filter(Boolean);
    },
  },
  {
    id: 'cert-dir',
    kind: 'input',
    when: (d) => d.cert?.kind === 'generate',
    message: () => 'Directory for the CA (ca/) and the certificate (harbor.crt, harbor.key):',
    default: (d) => (d.cert?.kind === 'generate' ? d.cert.certDir : DEFAULT_CERT_DIR),
    keys: ['https'],
    check: async (v, d, env) => {
      if (!path.isAbsolute(v)) return 'use an absolute directory, e.g. /etc/harbor/certs';
      if (d.cert?.kind !== 'generate') return undefined;
      const { certificate, privateKey } = certificatePaths({ ...d.cert, certDir: v });
      if (!(await statIfExists(underRoot(env.root, certificate)))) return undefined; // generated at the end
      // an earlier run's certificate is kept (clients may trust its CA already), so it must fit
      const findings = await env.lintCertificate({ cert: underRoot(env.root, certificate), key: underRoot(env.root, privateKey), hosts: d.cert.sans });
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length) return `${certificate} already exists and would be kept, but: ${errors[0]!.message}; choose another directory, or remove the old pair`;
      return undefined;
    },
    set: (d, v) => {
      if (d.cert?.kind === 'generate') d.cert.certDir = v.replace(/\/+$/, '') || '/';
    },
  },
  { id: 'admin-password', kind: 'custom', run: (d, env) => askPassword(d, env, 'admin') },
  { id: 'database-password', kind: 'custom', run: (d, env) => askPassword(d, env, 'database') },
  {
    id: 'data-volume',
    kind: 'input',
    message: async (d, env) => {
      const free = await env.freeSpace(underRoot(env.root, d.dataVolume));
      return `data_volume, where images and the database live${free ? ` (${free})` : ''}:`;
    },
    default: (d) => d.dataVolume,
    keys: ['data_volume'],
    set: (d, v) => void (d.dataVolume = v),
  },
  {
    id: 'log-location',
    kind: 'input',
    message: () => 'Log directory (log.local.location):',
    default: (d) => d.logLocation,
    keys: ['log.local.location'],
    set: (d, v) => void (d.logLocation = v),
  },
  { id: 'trivy', kind: 'confirm', message: () => 'Run the Trivy vulnerability scanner?', default: (d) => d.trivy, set: (d, v) => void (d.trivy = v) },
  {
    id: 'notary',
    kind: 'confirm',
    when: (d) => d.release.capabilities.notary && isHttps(d),
    message: (d) => `Run Notary (Docker Content Trust; the ${lineOf(d.release)} line has it)?`,
    default: () => false,
    set: (d, v) => void (d.notary = v),
  },
  { id: 'use-proxy', kind: 'confirm', message: () => 'Does Harbor reach the internet through an HTTP proxy?', default: () => false, set: () => {} },
  {
    id: 'http-proxy',
    kind: 'input',
    when: () => false, // asked by the runner right after a yes to use-proxy
    message: () => 'http_proxy URL (e.g. http://proxy.example.com:3128):',
    default: (d) => d.proxy.httpProxy,
    keys: ['proxy.http_proxy'],
    check: (v) => proxyUrlProblem(v, true),
    set: (d, v) => void (d.proxy.httpProxy = v),
  },
  {
    id: 'https-proxy',
    kind: 'input',
    when: () => false,
    message: () => 'https_proxy URL (usually the same):',
    default: (d) => d.proxy.httpsProxy || d.proxy.httpProxy,
    keys: ['proxy.https_proxy'],
    check: (v) => proxyUrlProblem(v, false),
    set: (d, v) => void (d.proxy.httpsProxy = v),
  },
  {
    id: 'no-proxy',
    kind: 'input',
    when: () => false,
    message: () => 'no_proxy, hosts reached directly (comma-separated; Harbor adds its own services):',
    default: (d) => d.proxy.noProxy,
    keys: ['proxy.no_proxy'],
    check: (v) => (/\s/.test(v.replace(/,\s+/g, ',')) ? 'separate the hosts with commas' : undefined),
    set: (d, v) => void (d.proxy.noProxy = v.replace(/,\s+/g, ',')),
  },
  { id: 'external-database', kind: 'confirm', message: () => 'Use an external PostgreSQL instead of the bundled one?', default: () => false, set: () => {} },
  { id: 'external-redis', kind: 'confirm', message: () => 'Use an external Redis instead of the bundled one?', default: () => false, set: () => {} },
];

/** Proxy URLs: http(s)://host[:port], as Harbor passes them to Go's http.ProxyFromEnvironment. */
export function proxyUrlProblem(v: string, required: boolean): string | undefined {
  if (!v) return required ? 'a proxy URL is required (answer no to the proxy question to use none)' : undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `'${v}' is not a URL; write it as http://host:port`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `'${v}' must start with http:// or https://`;
  if (!url.hostname) return `'${v}' has no host`;
  if (url.pathname !== '/' || url.search) return `'${v}' must not have a path`;
  return undefined;
}

/** Asks every question in order; the answers complete the draft. */
export async function runQuestions(env: WizardEnv, d: InitModel = initialModel(env)): Promise<InitModel> {
  const byId = new Map(QUESTIONS.map((q) => [q.id, q]));
  const askInput = async (e: Extract<Entry, { kind: 'input' }>) => {
    for (;;) {
      const message = await e.message(d, env);
      const value = (await env.prompter.input({ id: e.id, message, default: e.default(d, env), validate: entryValidator(e, d, env) })).trim();
      e.set(d, value, env);
      if (!e.after || (await e.after(d, env)) === 'ok') return;
    }
  };
  for (const e of QUESTIONS) {
    if (e.when && !e.when(d, env)) continue;
    if (e.kind === 'input') await askInput(e);
    else if (e.kind === 'select') await e.set(d, await env.prompter.select({ id: e.id, message: e.message, choices: e.choices(d, env), default: e.default(d, env) }), env);
    else if (e.kind === 'custom') await e.run(d, env);
    else {
      const yes = await env.prompter.confirm({ id: e.id, message: e.message(d, env), default: e.default(d, env) });
      e.set(d, yes);
      if (!yes) continue;
      if (e.id === 'use-proxy') for (const id of ['http-proxy', 'https-proxy', 'no-proxy']) await askInput(byId.get(id) as Extract<Entry, { kind: 'input' }>);
      if (e.id === 'external-database') await askExternalDatabase(d, env);
      if (e.id === 'external-redis') await askExternalRedis(d, env);
    }
  }
  return d;
}
