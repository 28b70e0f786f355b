/**
 * What `regctl prepare --generate-certs` needs: a CA kept in one directory and reused on later
 * runs, and a server certificate made only when the configured files do not exist yet (a user's
 * own certificate is never replaced).
 */
import type { NetworkInterfaceInfo } from 'node:os';
import path from 'node:path';
import { RegctlError } from '../errors.js';
import { CA_CERT_FILE, CA_KEY_FILE, createCa, defaultCaCommonName, loadCa, SigningCa, writeCa } from './ca.js';
import { collectDefaultSans, hostAddresses } from './default-sans.js';
import { exists } from './files.js';
import { DEFAULT_CA_KEY_TYPE, generateKey, KeyPair } from './key-types.js';
import { defaultLeafKeyType } from './leaf.js';
import { parseSans } from './san.js';
import { issueToFiles } from './server-cert.js';

export interface EnsureServerCertificateOptions {
  caDir: string;
  certPath: string;
  keyPath: string;
  sans: string[];
  now?: Date;
}

export async function ensureServerCertificate(
  opts: EnsureServerCertificateOptions,
): Promise<{ createdCa: boolean; createdLeaf: boolean; caCertPath: string }> {
  const now = opts.now ?? new Date();
  const caCertPath = path.join(opts.caDir, CA_CERT_FILE);
  const caFiles = [caCertPath, path.join(opts.caDir, CA_KEY_FILE)];
  const caPresent = await Promise.all(caFiles.map(exists));
  const leafPresent = await Promise.all([opts.certPath, opts.keyPath].map(exists));

  if (leafPresent[0] !== leafPresent[1]) {
    const [have, missing] = leafPresent[0] ? [opts.certPath, opts.keyPath] : [opts.keyPath, opts.certPath];
    throw new RegctlError('E_CERT_PAIR_INCOMPLETE', `${have} exists but ${missing} does not; regctl will not replace one half of a certificate pair`, {
      fix: `restore ${missing}, or remove ${have} to let regctl issue a new pair`,
      file: missing,
    });
  }
  // the user's (or an earlier run's) certificate stays as it is, and then no CA is needed either
  if (leafPresent[0]) return { createdCa: false, createdLeaf: false, caCertPath };

  const sans = parseSans(opts.sans, 'server certificate name');
  if (sans.length === 0) {
    throw new RegctlError('E_CERT_NO_SAN', 'no names to put in the server certificate', { fix: 'set hostname (and external_url) in harbor.yml' });
  }
  // an existing CA is reused (clients already trust it); a half-present one is an error in loadCa
  const needCa = !caPresent[0] && !caPresent[1];
  let ca: SigningCa;
  let leafKey: KeyPair | undefined;
  if (needCa) {
    // both RSA keys at once: key generation dominates and runs on Node's thread pool
    const [caKey, leafPair] = await Promise.all([generateKey(DEFAULT_CA_KEY_TYPE), generateKey(DEFAULT_CA_KEY_TYPE)]);
    leafKey = leafPair;
    const created = await createCa({ commonName: defaultCaCommonName(sans[0]!.value), keyPair: caKey, now });
    await writeCa(opts.caDir, created, { now });
    ca = created;
  } else {
    ca = await loadCa(opts.caDir, now);
  }
  await issueToFiles({ ca, sans, certPath: opts.certPath, keyPath: opts.keyPath, now, keyPair: leafKey, keyType: defaultLeafKeyType(ca) });
  return { createdCa: needCa, createdLeaf: true, caCertPath };
}

/**
 * The names a Harbor server certificate should cover: the configured hostname, the external_url
 * host, the machine's FQDN and short name, and every non-loopback address.
 */
export function defaultServerSans(
  hostname: string,
  externalUrl: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  fqdn?: string,
): string[] {
  const out: string[] = [];
  const add = (v: string | undefined) => {
    const n = v?.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (n && !out.includes(n)) out.push(n);
  };
  add(hostname);
  if (externalUrl.trim()) {
    try {
      add(new URL(externalUrl.includes('://') ? externalUrl : `https://${externalUrl}`).hostname);
    } catch {
      // an invalid external_url is reported by config validation; it just adds no name here
    }
  }
  const machine = collectDefaultSans({ hostname: fqdn ?? '', fqdn, interfaces: {} });
  machine.forEach(add);
  hostAddresses(interfaces).forEach(add);
  return out;
}
