/**
 * Server ("leaf") certificates: every name as a SAN (IP SANs for addresses), serverAuth, the key
 * usages TLS needs for the key type, CN = first SAN for old tools that still display it, signed
 * by a regctl (or user) CA.
 */
import { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { RegctlError, ExitCode } from '../errors.js';
import { buildCertificate, subjectKeyIdentifier } from './build.js';
import type { SigningCa } from './ca.js';
import { parseCertificate, CertificateInfo } from './certificate-info.js';
import { generateKey, KeyPair, KeyType, keyTypeOf, privateKeyToPem } from './key-types.js';
import type { SanEntry } from './san.js';
import { DEFAULT_LEAF_DAYS, validityWindow } from './validity.js';

/** X.509's upper bound for a CN (ub-common-name). */
const MAX_CN_LENGTH = 64;

export interface IssuedLeaf {
  certPem: string;
  keyPem: string;
  cert: CertificateInfo;
  key: KeyObject;
  /** things the user should know, e.g. the leaf outliving its CA */
  notes: string[];
}

/** The leaf key type when none is asked for: the CA's own (RSA-4096 by default, like the seed). */
export function defaultLeafKeyType(ca: SigningCa): KeyType {
  return keyTypeOf(ca.key) ?? (ca.key.asymmetricKeyType === 'ec' ? 'ecdsa-p256' : 'rsa-2048');
}

export async function issueLeaf(opts: {
  ca: SigningCa;
  sans: SanEntry[];
  days?: number;
  keyType?: KeyType;
  now?: Date;
  keyPair?: KeyPair;
}): Promise<IssuedLeaf> {
  const { ca, sans } = opts;
  if (sans.length === 0) {
    throw new RegctlError('E_CERT_NO_SAN', 'a server certificate needs at least one name', {
      fix: 'pass --san for every name and address clients use, e.g. --san reg.example.com --san 192.168.1.10',
      exitCode: ExitCode.invalidInput,
    });
  }
  const commonName = sans.find((s) => s.value.length <= MAX_CN_LENGTH)?.value ?? sans[0]!.value.slice(0, MAX_CN_LENGTH);
  if (ca.cert.subjectCn !== undefined && ca.cert.subjectCn.toLowerCase() === commonName.toLowerCase()) {
    throw new RegctlError('E_CERT_CN_CLASH', `the server certificate's CN '${commonName}' would equal the CA's CN`, {
      fix: "clients then treat the server certificate as self-signed and reject it; create the CA with a CN like 'regctl CA for <host>' (regctl cert ca --force), or list another name first",
      exitCode: ExitCode.invalidInput,
    });
  }
  const now = opts.now ?? new Date();
  const { privateKey, publicKey } = opts.keyPair ?? (await generateKey(opts.keyType ?? defaultLeafKeyType(ca)));
  const { notBefore, notAfter } = validityWindow(now, opts.days ?? DEFAULT_LEAF_DAYS);
  const isRsa = publicKey.asymmetricKeyType === 'rsa';
  const caKeyId = ca.cert.subjectKeyId ? Buffer.from(ca.cert.subjectKeyId, 'hex') : subjectKeyIdentifier(ca.cert.publicKey);

  const { pem, der } = buildCertificate({
    subject: { commonName },
    issuerNameDer: ca.cert.subjectDer,
    notBefore,
    notAfter,
    publicKey,
    signingKey: ca.key,
    extensions: [
      { name: 'basicConstraints', critical: true, cA: false },
      // RSA key exchange encrypts with the key; ECDSA keys only sign
      { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: isRsa },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: sans.map((s) => (s.type === 'ip' ? { type: 7, ip: s.value } : { type: 2, value: s.value })),
      },
      { name: 'subjectKeyIdentifier', value: octets(subjectKeyIdentifier(publicKey)) },
      { name: 'authorityKeyIdentifier', keyIdentifier: caKeyId.toString('binary') },
    ],
  });
  const notes: string[] = [];
  if (notAfter > ca.cert.notAfter) {
    notes.push(`the certificate is valid until ${notAfter.toISOString().slice(0, 10)} but its CA expires on ${ca.cert.notAfter.toISOString().slice(0, 10)}; clients stop trusting it then`);
  }
  return { certPem: pem, keyPem: privateKeyToPem(privateKey), cert: parseCertificate(der), key: privateKey, notes };
}

function octets(b: Buffer): forge.asn1.Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, b.toString('binary'));
}
