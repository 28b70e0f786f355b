/**
 * Reads an X.509 certificate into the facts regctl checks. Node's X509Certificate verifies
 * signatures and gives the public key; the fields Node 20 does not expose (typed SAN entries,
 * key usage bits, signature algorithm, raw names for issuer matching) are read from the DER with
 * node-forge's ASN.1 parser, which works for RSA and ECDSA certificates alike.
 */
import { X509Certificate, KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { OID, signatureAlgorithm } from './oids.js';
import { ipFromBytes } from './ip.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export interface NameAttribute {
  /** short name where known (CN, O, OU, C...) or the OID */
  name: string;
  value: string;
}

export interface CertificateInfo {
  der: Buffer;
  x509: X509Certificate;
  publicKey: KeyObject;
  serialHex: string;
  signatureAlgorithmOid: string;
  signatureAlgorithm: string;
  weakSignature: boolean;
  subject: NameAttribute[];
  issuer: NameAttribute[];
  /** DER of the subject and issuer Names, for exact issuer matching and for issuing leaves */
  subjectDer: Buffer;
  issuerDer: Buffer;
  subjectCn?: string;
  issuerCn?: string;
  notBefore: Date;
  notAfter: Date;
  /** DER of SubjectPublicKeyInfo */
  spkiDer: Buffer;
  extensionOids: string[];
  /** undefined when the certificate has no subjectAltName extension at all */
  san?: { dns: string[]; ip: string[]; otherCount: number };
  basicConstraints?: { ca: boolean; pathLen?: number; critical: boolean };
  keyUsage?: Set<KeyUsageName>;
  extKeyUsage?: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  selfIssued: boolean;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const toBuffer = (binary: string): Buffer => Buffer.from(binary, 'binary');
const derOf = (node: Asn1): Buffer => toBuffer(asn1.toDer(node).getBytes());
const children = (node: Asn1): Asn1[] => (Array.isArray(node.value) ? (node.value as Asn1[]) : []);
const bytes = (node: Asn1): string => (typeof node.value === 'string' ? node.value : '');

/** Parses one DER certificate; throws (with Node's or forge's message) when it is not one. */
export function parseCertificate(der: Buffer): CertificateInfo {
  const x509 = new X509Certificate(der);
  const root = asn1.fromDer(der.toString('binary'), { decodeBitStrings: false } as never);
  const [tbs, sigAlg] = children(root);
  if (!tbs || !sigAlg) throw new Error('not an X.509 certificate');
  const fields = children(tbs);
  // the version field [0] is optional (absent means v1)
  const offset = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC && fields[0].type === 0 ? 1 : 0;
  const serial = fields[offset]!;
  const issuer = fields[offset + 2]!;
  const validity = fields[offset + 3]!;
  const subject = fields[offset + 4]!;
  const spki = fields[offset + 5]!;
  const extsWrapper = fields.slice(offset + 6).find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);

  const sigOid = asn1.derToOid(bytes(children(sigAlg)[0]!));
  const sig = signatureAlgorithm(sigOid);
  const subjectAttrs = nameAttributes(subject);
  const issuerAttrs = nameAttributes(issuer);
  const subjectDer = derOf(subject);
  const issuerDer = derOf(issuer);

  const info: CertificateInfo = {
    der,
    x509,
    publicKey: x509.publicKey,
    serialHex: toBuffer(bytes(serial)).toString('hex'),
    signatureAlgorithmOid: sigOid,
    signatureAlgorithm: sig.name,
    weakSignature: sig.weak,
    subject: subjectAttrs,
    issuer: issuerAttrs,
    subjectDer,
    issuerDer,
    subjectCn: subjectAttrs.find((a) => a.name === 'CN')?.value,
    issuerCn: issuerAttrs.find((a) => a.name === 'CN')?.value,
    notBefore: asn1Date(children(validity)[0]!),
    notAfter: asn1Date(children(validity)[1]!),
    spkiDer: derOf(spki),
    extensionOids: [],
    selfIssued: subjectDer.equals(issuerDer),
  };
  const extensions = extsWrapper ? children(children(extsWrapper)[0]!) : [];
  for (const ext of extensions) readExtension(info, ext);
  return info;
}

function readExtension(info: CertificateInfo, ext: Asn1): void {
  const parts = children(ext);
  const oid = asn1.derToOid(bytes(parts[0]!));
  const critical = parts.length === 3 && bytes(parts[1]!).charCodeAt(0) !== 0;
  const value = asn1.fromDer(bytes(parts[parts.length - 1]!), { decodeBitStrings: false } as never);
  info.extensionOids.push(oid);
  switch (oid) {
    case OID.subjectAltName: {
      const san = { dns: [] as string[], ip: [] as string[], otherCount: 0 };
      for (const name of children(value)) {
        if (name.tagClass === asn1.Class.CONTEXT_SPECIFIC && name.type === 2) san.dns.push(bytes(name));
        else if (name.tagClass === asn1.Class.CONTEXT_SPECIFIC && name.type === 7) {
          const ip = ipFromBytes(toBuffer(bytes(name)));
          if (ip) san.ip.push(ip);
          else san.otherCount++;
        } else san.otherCount++;
      }
      info.san = san;
      break;
    }
    case OID.basicConstraints: {
      const items = children(value);
      const ca = items.some((i) => i.type === asn1.Type.BOOLEAN && bytes(i).charCodeAt(0) !== 0);
      const len = items.find((i) => i.type === asn1.Type.INTEGER);
      info.basicConstraints = { ca, critical, ...(len ? { pathLen: asn1.derToInteger(bytes(len)) } : {}) };
      break;
    }
    case OID.keyUsage: {
      const raw = toBuffer(bytes(value)).subarray(1); // first byte: unused bits
      const usage = new Set<KeyUsageName>();
      KEY_USAGE_BITS.forEach((name, bit) => {
        const byte = raw[bit >> 3] ?? 0;
        if (byte & (0x80 >> (bit & 7))) usage.add(name);
      });
      info.keyUsage = usage;
      break;
    }
    case OID.extKeyUsage:
      info.extKeyUsage = children(value).map((o) => asn1.derToOid(bytes(o)));
      break;
    case OID.subjectKeyIdentifier:
      info.subjectKeyId = toBuffer(bytes(value)).toString('hex');
      break;
    case OID.authorityKeyIdentifier: {
      const keyId = children(value).find((c) => c.tagClass === asn1.Class.CONTEXT_SPECIFIC && c.type === 0);
      if (keyId) info.authorityKeyId = toBuffer(bytes(keyId)).toString('hex');
      break;
    }
  }
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function nameAttributes(name: Asn1): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of children(name)) {
    for (const atv of children(rdn)) {
      const [type, val] = children(atv);
      if (!type || !val) continue;
      const oid = asn1.derToOid(bytes(type));
      out.push({ name: SHORT_NAMES[oid] ?? oid, value: decodeString(val) });
    }
  }
  return out;
}

function decodeString(node: Asn1): string {
  const raw = bytes(node);
  if (node.type === asn1.Type.UTF8) return forge.util.decodeUtf8(raw);
  if (node.type === asn1.Type.BMPSTRING) {
    let s = '';
    for (let i = 0; i + 1 < raw.length; i += 2) s += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return s;
  }
  return raw;
}

function asn1Date(node: Asn1): Date {
  return node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(bytes(node)) : asn1.generalizedTimeToDate(bytes(node));
}

/** "CN=reg.example.com, O=regctl" */
export function formatName(attrs: NameAttribute[]): string {
  return attrs.map((a) => `${a.name}=${a.value}`).join(', ') || '(empty)';
}

/** Every name the certificate is valid for, as users write them: DNS names then IPs. */
export function sanList(info: CertificateInfo): string[] {
  return info.san ? [...info.san.dns, ...info.san.ip] : [];
}
