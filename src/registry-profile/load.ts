/**
 * registry.yml → RegistryProfileConfig. Every problem names the file, line and key and says how to
 * fix it; unknown keys are refused (a typo must not silently fall back to a default).
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseHarborYml } from '../config/yaml-document.js';
import { invalidConfig, problem, RegctlError, ExitCode, type Problem } from '../errors.js';
import { ipVersion } from '../cert/ip.js';
import { DEFAULT_INSECURE_PORT, DEFAULT_REGISTRY_IMAGE, DEFAULT_TLS_PORT, type RegistryProfileConfig } from './model.js';

/** The keys registry.yml may have: data, so that the unknown-key check and the docs agree. */
const KEYS: Record<string, readonly string[] | null> = {
  hostname: null,
  port: null,
  image: null,
  tls: ['certificate', 'private_key'],
  auth: ['htpasswd'],
  storage: ['directory', 'delete'],
};

export interface LoadRegistryOptions {
  /** --insecure: plain HTTP, no tls section needed (one given is an error: it would be ignored) */
  insecure: boolean;
}

export async function loadRegistryConfig(file: string, opts: LoadRegistryOptions): Promise<RegistryProfileConfig> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new RegctlError('E_CONFIG_MISSING', `cannot read ${file}: ${err.code ?? err.message}`, {
      file,
      exitCode: ExitCode.invalidInput,
      fix: 'pass --config with the path of your registry.yml (start from examples/registry.yml)',
    });
  });
  return parseRegistryConfig(file, text, opts);
}

/** Pure: the text of registry.yml (at `file`) → the model, or an invalid-config error with every problem. */
export function parseRegistryConfig(file: string, text: string, opts: LoadRegistryOptions): RegistryProfileConfig {
  const parsed = parseHarborYml(file, text);
  if (!parsed.doc) throw invalidConfig(parsed.problems);
  const { data, locate } = parsed.doc;
  const problems: Problem[] = [];
  const bad = (key: string, message: string, fix: string) => problems.push(problem('error', 'E_REGISTRY_CONFIG', message, { ...locate(key), key, fix }));

  for (const [k, v] of Object.entries(data)) {
    if (!(k in KEYS)) {
      bad(k, `unknown key '${k}' in registry.yml`, `remove it; the keys are: ${Object.keys(KEYS).join(', ')}`);
      continue;
    }
    const sub = KEYS[k];
    if (!sub) continue;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      bad(k, `'${k}' must be a mapping with ${sub.join(', ')}`, `write ${k}: on its own line and indent ${sub[0]}: below it`);
      continue;
    }
    for (const sk of Object.keys(v)) if (!sub.includes(sk)) bad(`${k}.${sk}`, `unknown key '${k}.${sk}' in registry.yml`, `remove it; '${k}' has: ${sub.join(', ')}`);
  }
  const section = (k: string) => (data[k] && typeof data[k] === 'object' && !Array.isArray(data[k]) ? (data[k] as Record<string, unknown>) : {});
  const base = path.dirname(file);
  const str = (key: string, v: unknown, fix: string): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      bad(key, `'${key}' must be a string, got ${JSON.stringify(v)}`, fix);
      return undefined;
    }
    return v.trim();
  };
  const filePath = (key: string, v: unknown, fix: string, required: boolean): string => {
    const s = str(key, v, fix);
    if (!s) {
      if (required) bad(key, `'${key}' is required`, fix);
      return '';
    }
    // relative paths are relative to registry.yml, like compose resolves its own
    return path.resolve(base, s);
  };

  const hostname = str('hostname', data.hostname, 'the name or IP address clients use, e.g. hostname: registry.example.com') ?? '';
  if (!hostname) bad('hostname', "'hostname' is required", 'the name or IP address clients use, e.g. hostname: registry.example.com');
  else if (!ipVersion(hostname) && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(hostname)) {
    bad('hostname', `hostname '${hostname}' is neither a DNS name nor an IP address`, 'no scheme, port or path: e.g. hostname: registry.example.com');
  }

  const port = data.port === undefined || data.port === null ? (opts.insecure ? DEFAULT_INSECURE_PORT : DEFAULT_TLS_PORT) : data.port;
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) bad('port', `port must be a whole number from 1 to 65535, got ${JSON.stringify(data.port)}`, 'e.g. port: 443');

  const tlsIn = section('tls');
  let tls: RegistryProfileConfig['tls'];
  if (opts.insecure) {
    if (data.tls !== undefined) bad('tls', '--insecure serves plain HTTP, but registry.yml has a tls section', 'remove the tls section, or install without --insecure');
  } else {
    const fix = 'the server certificate and key files (PEM); --generate-certs creates them there when missing';
    tls = { certificate: filePath('tls.certificate', tlsIn.certificate, fix, true), privateKey: filePath('tls.private_key', tlsIn.private_key, fix, true) };
  }
  const htpasswd = filePath('auth.htpasswd', section('auth').htpasswd, 'the htpasswd file with the users, e.g. auth: {htpasswd: /etc/registry/htpasswd}', true);
  const storageDir = filePath('storage.directory', section('storage').directory, 'where the registry keeps its blobs, e.g. storage: {directory: /data/registry}', true);
  const del = section('storage').delete;
  if (del !== undefined && typeof del !== 'boolean') bad('storage.delete', `storage.delete must be true or false, got ${JSON.stringify(del)}`, 'delete: true lets clients delete manifests');
  const image = str('image', data.image, 'an image reference, e.g. image: registry:2') ?? DEFAULT_REGISTRY_IMAGE;
  if (/\s/.test(image)) bad('image', `image '${image}' contains white space`, 'an image reference, e.g. image: mirror.example.com/library/registry:2');

  const all = [...parsed.problems, ...problems];
  if (all.some((p) => p.severity === 'error')) throw invalidConfig(all);
  return { file, hostname: hostname.toLowerCase(), port: port as number, tls, htpasswd, storageDir, deleteEnabled: del !== false, image };
}
