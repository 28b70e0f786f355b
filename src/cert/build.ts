/**
 * Assembles and signs an X.509 v3 certificate. node-forge builds the structure (names,
 * extensions, ASN.1); Node's crypto signs it. forge alone can only sign with RSA keys and does so
 * in slow JavaScript, while OpenSSL (through Node) signs RSA and ECDSA natively.
 */
import { createHash, randomBytes, sign, KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { OID } from './oids.js';
import { derToPem } from './pem.js';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;
/** exported by node-forge's x509 module but missing from @types/node-forge */
const pkiExtras = forge.pki as unknown as { certificateExtensionsToAsn1(extensions: unknown[]): Asn1 };

export interface NameInput {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
}

export interface CertificateTemplate {
  subject: NameInput;
  /** DER of the issuer's subject Name; omitted for a self-signed certificate */
  issuerNameDer?: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  /** forge extension descriptions (name + fields); values are filled in by forge */
  extensions: object[];
  signingKey: KeyObject;
}

/** A positive 127-bit random serial, as RFC 5280 recommends (unpredictable, at most 20 bytes). */
export function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and no leading zero byte
  return serial;
}

/** SHA-1 of the subjectPublicKey bits: RFC 5280 §4.2.1.2 method 1, what OpenSSL writes too. */
export function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  const spki = asn1.fromDer(
    publicKey.export({ type: 'spki', format: 'der' }).toString('binary'),
    { decodeBitStrings: false } as never,
  );
  const bitString = (spki.value as Asn1[])[1]!.value as string;
  return createHash('sha1').update(Buffer.from(bitString, 'binary').subarray(1)).digest();
}

export function buildCertificate(t: CertificateTemplate): { pem: string; der: Buffer } {
  const holder = forge.pki.createCertificate();
  const attrs: object[] = [];
  if (t.subject.organization) attrs.push({ shortName: 'O', value: t.subject.organization, valueTagClass: asn1.Type.UTF8 });
  if (t.subject.organizationalUnit) attrs.push({ shortName: 'OU', value: t.subject.organizationalUnit, valueTagClass: asn1.Type.UTF8 });
  attrs.push({ shortName: 'CN', value: t.subject.commonName, valueTagClass: asn1.Type.UTF8 });
  holder.setSubject(attrs as forge.pki.CertificateField[]);
  holder.setExtensions(t.extensions);

  const subjectName = forge.pki.distinguishedNameToAsn1(holder.subject);
  const issuerName = t.issuerNameDer ? fromDer(t.issuerNameDer) : subjectName;
  const isRsa = t.signingKey.asymmetricKeyType === 'rsa';
  const algorithm = signatureAlgorithmIdentifier(isRsa);

  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [integer(Buffer.from([2]))]), // v3
    integer(randomSerial()),
    algorithm,
    issuerName,
    seq([time(t.notBefore), time(t.notAfter)]),
    subjectName,
    fromDer(t.publicKey.export({ type: 'spki', format: 'der' })),
    pkiExtras.certificateExtensionsToAsn1(holder.extensions),
  ]);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  // ECDSA signatures are DER-encoded (r, s) pairs, Node's default encoding for EC keys
  const signature = sign('sha256', tbsDer, t.signingKey);
  const cert = seq([
    tbs,
    signatureAlgorithmIdentifier(isRsa),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, '\x00' + signature.toString('binary')),
  ]);
  const der = Buffer.from(asn1.toDer(cert).getBytes(), 'binary');
  return { pem: derToPem(der), der };
}

function signatureAlgorithmIdentifier(isRsa: boolean): Asn1 {
  // sha256WithRSAEncryption takes a NULL parameter; ecdsa-with-SHA256 must have none (RFC 5758)
  return isRsa
    ? seq([oid(OID.sha256WithRSAEncryption), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')])
    : seq([oid(OID.ecdsaWithSHA256)]);
}

const seq = (items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (id: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
const integer = (value: Buffer): Asn1 =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, value.toString('binary'));
const fromDer = (der: Buffer): Asn1 => asn1.fromDer(der.toString('binary'), { decodeBitStrings: false } as never);

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(date: Date): Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}
