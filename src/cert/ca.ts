/**
 * The certificate authority regctl makes (and reuses): CA:TRUE with pathlen 0 (it signs leaves
 * only), keyCertSign + cRLSign, subject/authority key identifiers, 10 years by default. Its CN
 * names regctl and the host, so it can never equal a server certificate's CN (equal names make
 * OpenSSL-based clients call the leaf self-signed, spec §1 A2).
 */
import { statIfExists } from '../util/fs.js';
import { KeyObject, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { buildCertificate, subjectKeyIdentifier } from './build.js';
import { parseCertificate, CertificateInfo } from './certificate-info.js';
import { DEFAULT_CA_KEY_TYPE, describeKey, generateKey, KeyPair, KeyType, privateKeyToPem } from './key-types.js';
import { loadPrivateKey, sameKey } from './key-file.js';
import { pemBlocks } from './pem.js';
import { DEFAULT_CA_DAYS, validityWindow } from './validity.js';
import { backupFile, CERT_MODE, exists, KEY_MODE, writeFilesAtomically } from './files.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';

/** What signing needs: the CA certificate and its private key. */
export interface SigningCa {
  cert: CertificateInfo;
  key: KeyObject;
}

export interface CaMaterial extends SigningCa {
  certPem: string;
  keyPem: string;
}

export interface LoadedCa extends SigningCa {
  dir: string;
  certPath: string;
  keyPath: string;
}

export function defaultCaCommonName(host: string): string {
  return `regctl CA for ${host}`;
}

export async function createCa(opts: {
  commonName: string;
  keyType?: KeyType;
  days?: number;
  now?: Date;
  /** a key made in advance (for-prepare generates CA and leaf keys in parallel) */
  keyPair?: KeyPair;
}): Promise<CaMaterial> {
  const { privateKey, publicKey } = opts.keyPair ?? (await generateKey(opts.keyType ?? DEFAULT_CA_KEY_TYPE));
  const ski = subjectKeyIdentifier(publicKey);
  const { notBefore, notAfter } = validityWindow(opts.now ?? new Date(), opts.days ?? DEFAULT_CA_DAYS);
  const { pem, der } = buildCertificate({
    // a random OU keeps the names of two CAs made on one host apart
    subject: { commonName: opts.commonName, organization: 'regctl', organizationalUnit: `ca ${randomBytes(4).toString('hex')}` },
    notBefore,
    notAfter,
    publicKey,
    signingKey: privateKey,
    extensions: [
      { name: 'basicConstraints', critical: true, cA: true, pathLenConstraint: 0 },
      { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true },
      { name: 'subjectKeyIdentifier', value: octets(ski) },
      { name: 'authorityKeyIdentifier', keyIdentifier: ski.toString('binary') },
    ],
  });
  return { certPem: pem, keyPem: privateKeyToPem(privateKey), cert: parseCertificate(der), key: privateKey };
}

function octets(b: Buffer): forge.asn1.Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, b.toString('binary'));
}

/** Refuses early (before a slow key generation) when DIR already holds a CA and force is not set. */
export async function assertCaDirFree(dir: string, force = false): Promise<void> {
  const present = [];
  for (const p of [path.join(dir, CA_CERT_FILE), path.join(dir, CA_KEY_FILE)]) if (await exists(p)) present.push(p);
  if (present.length && !force) {
    throw new RegctlError('E_CA_EXISTS', `a CA already exists in ${dir} (${present.map((p) => path.basename(p)).join(', ')}); nothing was written`, {
      fix: 'certificates issued by it would stop being trusted if it were replaced; reuse it with --ca, choose another --dir, or pass --force (the old files are kept as .bak-<time>)',
      file: present[0],
      // refusing to overwrite is invalid input, like cert issue over an existing file: nothing was written
      exitCode: ExitCode.invalidInput,
    });
  }
}

/** Writes DIR/ca.crt (0644) and DIR/ca.key (0600). Existing files are refused, or backed up with force. */
export async function writeCa(dir: string, ca: CaMaterial, opts: { force?: boolean; now?: Date } = {}): Promise<{ certPath: string; keyPath: string; backups: string[] }> {
  const certPath = path.join(dir, CA_CERT_FILE);
  const keyPath = path.join(dir, CA_KEY_FILE);
  await assertCaDirFree(dir, opts.force);
  const present = [];
  for (const p of [certPath, keyPath]) if (await exists(p)) present.push(p);
  const backups: string[] = [];
  for (const p of present) backups.push(await backupFile(p, opts.now ?? new Date()));
  // the CA directory holds the CA key: only its owner may list it
  await writeFilesAtomically(
    [
      { path: keyPath, content: ca.keyPem, mode: KEY_MODE },
      { path: certPath, content: ca.certPem, mode: CERT_MODE },
    ],
    0o700,
  );
  return { certPath, keyPath, backups };
}

/** Loads DIR/ca.crt + DIR/ca.key and checks they form a usable CA. */
export async function loadCa(dir: string, now = new Date()): Promise<LoadedCa> {
  const stat = await statIfExists(dir, { follow: true });
  if (!stat) {
    throw new RegctlError('E_CA_NOT_FOUND', `no CA directory at ${dir}`, { fix: `create one with: regctl cert ca --dir ${dir}`, file: dir });
  }
  if (!stat.isDirectory()) {
    throw new RegctlError('E_CA_NOT_DIR', `--ca ${dir} is a file; it must be the directory holding ca.crt and ca.key`, {
      fix: `use --ca ${path.dirname(dir)}`,
      file: dir,
    });
  }
  const certPath = path.join(dir, CA_CERT_FILE);
  const keyPath = path.join(dir, CA_KEY_FILE);
  for (const p of [certPath, keyPath]) {
    if (!(await exists(p))) {
      throw new RegctlError('E_CA_INCOMPLETE', `${p} is missing`, {
        fix: `a CA directory holds ca.crt and ca.key; create a new CA with: regctl cert ca --dir ${dir}`,
        file: p,
      });
    }
  }
  const certPem = await fs.readFile(certPath, 'utf8');
  const block = pemBlocks(certPem).find((b) => b.label === 'CERTIFICATE');
  let cert: CertificateInfo;
  try {
    if (!block) throw new Error('no PEM certificate found');
    cert = parseCertificate(block.der);
  } catch (err) {
    throw new RegctlError('E_CA_INVALID', `${certPath} is not a readable certificate (${(err as Error).message})`, {
      fix: 'give the CA certificate in PEM form',
      file: certPath,
    });
  }
  const key = await loadPrivateKey(keyPath, 'E_CA');
  if (!sameKey(key, cert.publicKey)) {
    throw new RegctlError('E_CA_KEY_MISMATCH', `${keyPath} is not the key of ${certPath}`, { fix: 'put the matching ca.crt and ca.key together in one directory', file: keyPath });
  }
  if (!cert.basicConstraints?.ca) {
    throw new RegctlError('E_CA_NOT_CA', `${certPath} is not a CA certificate (no basicConstraints CA:TRUE); clients will not accept certificates it signs`, {
      fix: `create a CA with: regctl cert ca --dir ${dir}`,
      file: certPath,
    });
  }
  if (cert.notAfter <= now) {
    throw new RegctlError('E_CA_EXPIRED', `the CA in ${certPath} expired on ${cert.notAfter.toISOString()}`, {
      fix: 'create a new CA (regctl cert ca --force), issue new certificates and trust the new CA on every client',
      file: certPath,
    });
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new RegctlError('E_CA_KEY_TYPE', `the CA key is ${describeKey(key)}; regctl signs with RSA or ECDSA keys only`, { file: keyPath });
  }
  return { dir, certPath, keyPath, cert, key };
}
