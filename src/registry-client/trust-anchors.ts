/**
 * Which CA certificates verify a registry's TLS certificate, in Docker's order: `--ca FILE`
 * (only that CA), else the registry's certs.d directory (`/etc/docker/certs.d/HOST[:PORT]/*.crt`,
 * added to the system store, as the Docker engine does), else the system store. Paths come in as
 * arguments, already under --root. Every file is read safely: a regular file under a size cap.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { ExitCode, RegctlError } from '../errors.js';
import { readRegularText } from '../util/safe-read.js';

/** Where Linux distributions keep the system bundle (the list Go's crypto/x509 reads). */
export const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/** A system bundle holds a few hundred certificates: a few hundred KiB. */
const MAX_BUNDLE = 16 * 1024 * 1024;

export interface TrustAnchors {
  /** PEM certificates for the TLS agent's `ca` (replaces Node's built-in list) */
  ca: string[];
  /** what they are, for messages: '--ca /x/ca.crt', '/etc/docker/certs.d/reg:5000/ca.crt', 'the system store' */
  source: string;
  kind: 'flag' | 'certs.d' | 'system';
}

export interface TrustAnchorInput {
  /** --ca FILE as typed (absolute) */
  caFile?: string;
  /** the certs.d directory of this registry's name, e.g. ROOT/etc/docker/certs.d/reg:5000 */
  certsDirs: string[];
  /** system bundle files, under --root */
  systemBundles: string[];
}

export async function resolveTrustAnchors(input: TrustAnchorInput): Promise<TrustAnchors> {
  if (input.caFile) {
    const pem = await readRegularText(input.caFile, { follow: true, what: 'the --ca file' });
    if (pem === undefined) throw new RegctlError('E_FILE_MISSING', `--ca ${input.caFile} does not exist`, { fix: 'point --ca at the CA certificate that signed the registry certificate', exitCode: ExitCode.invalidInput, file: input.caFile });
    requirePem(pem, input.caFile, '--ca');
    return { ca: [pem], source: `--ca ${input.caFile}`, kind: 'flag' };
  }
  const system = await systemStore(input.systemBundles);
  for (const dir of input.certsDirs) {
    const files = await crtFiles(dir);
    if (!files.length) continue;
    const pems: string[] = [];
    for (const f of files) {
      const pem = await readRegularText(f, { what: 'a certs.d CA file' });
      if (pem === undefined) continue;
      requirePem(pem, f, 'certs.d');
      pems.push(pem);
    }
    if (pems.length) return { ca: [...system, ...pems], source: files.join(', '), kind: 'certs.d' };
  }
  return { ca: system, source: 'the system store', kind: 'system' };
}

/** The *.crt files of a certs.d directory (Docker reads each as a CA; *.cert/*.key are client certificates). */
async function crtFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
  return names.filter((n) => n.endsWith('.crt')).sort().map((n) => path.join(dir, n));
}

async function systemStore(bundles: string[]): Promise<string[]> {
  for (const file of bundles) {
    const pem = await readRegularText(file, { follow: true, maxBytes: MAX_BUNDLE, what: 'the system CA bundle' });
    if (pem !== undefined) return [pem];
  }
  return [...rootCertificates];
}

function requirePem(pem: string, file: string, what: string): void {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new RegctlError('E_CA_NOT_PEM', `${what} ${file} holds no PEM certificate`, { fix: 'give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----); convert DER with openssl x509 -inform der', exitCode: ExitCode.invalidInput, file });
  }
}
