/**
 * Credentials from the Docker CLI's config.json (`docker login` writes it): `auths` entries with a
 * base64 `user:password` in `auth`, keyed by registry (with or without https://, sometimes a path).
 * A credential helper (`credsStore`, `credHelpers`) keeps them elsewhere: regctl does not run
 * helpers (they may prompt, open a keychain or a desktop dialog), it names the one configured.
 */
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { readRegularText } from '../util/safe-read.js';

export interface Credentials {
  username: string;
  password: string;
  /** where they came from, for messages: '--username', '/home/u/.docker/config.json' */
  source: string;
}

export interface DockerConfigLookup {
  file: string;
  credentials?: Credentials;
  /** 'docker-credential-desktop', when a helper keeps this registry's credentials */
  helper?: string;
  /** which key configured the helper: 'credsStore' or 'credHelpers["reg:5000"]' */
  helperKey?: string;
}

/** DOCKER_CONFIG (a directory) else ~/.docker, as the Docker CLI resolves it. */
export function dockerConfigFile(env: NodeJS.ProcessEnv, home: string | undefined): string | undefined {
  if (env['DOCKER_CONFIG']) return path.join(env['DOCKER_CONFIG'], 'config.json');
  return home ? path.join(home, '.docker', 'config.json') : undefined;
}

/** `https://reg:5000/v1/` → `reg:5000` */
function normalizeKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

export async function lookupDockerConfig(file: string, names: string[]): Promise<DockerConfigLookup> {
  const text = await readRegularText(file, { follow: true, what: 'the Docker CLI config' });
  if (text === undefined) return { file };
  let doc: { auths?: Record<string, { auth?: string; username?: string; password?: string }>; credsStore?: string; credHelpers?: Record<string, string> };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new RegctlError('E_DOCKER_CONFIG_INVALID', `${file} is not valid JSON: ${(err as Error).message}`, { fix: 'fix the file (docker login rewrites it), or point DOCKER_CONFIG at another directory', exitCode: ExitCode.invalidInput, file });
  }
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const [key, entry] of Object.entries(doc.auths ?? {})) {
    if (!wanted.has(normalizeKey(key)) || !entry) continue;
    const creds = decodeEntry(entry, file);
    if (creds) return { file, credentials: creds };
  }
  for (const [key, helper] of Object.entries(doc.credHelpers ?? {})) {
    if (wanted.has(normalizeKey(key)) && helper) return { file, helper: `docker-credential-${helper}`, helperKey: `credHelpers["${key}"]` };
  }
  if (doc.credsStore) return { file, helper: `docker-credential-${doc.credsStore}`, helperKey: 'credsStore' };
  return { file };
}

function decodeEntry(entry: { auth?: string; username?: string; password?: string }, file: string): Credentials | undefined {
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new RegctlError('E_DOCKER_CONFIG_INVALID', `${file}: an auths entry's "auth" is not base64 of user:password`, { fix: 'log in again (docker login), which rewrites it', exitCode: ExitCode.invalidInput, file });
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: file };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') return { username: entry.username, password: entry.password, source: file };
  return undefined;
}
