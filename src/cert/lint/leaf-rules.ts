/** Checks on the server certificate itself: names, dates, key, signature, usages. */
import type { CertificateInfo } from '../certificate-info.js';
import { OID } from '../oids.js';
import { isSelfSigned } from '../relations.js';
import { daysBetween, DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS } from '../validity.js';
import { CertFinding, finding } from './types.js';

const EXPIRY_WARNING_DAYS = 30;
const MIN_RSA_BITS = 2048;
const day = (d: Date) => d.toISOString().slice(0, 10);

export function lintLeaf(leaf: CertificateInfo, now: Date): CertFinding[] {
  const out: CertFinding[] = [];
  const cn = leaf.subjectCn;
  const reissue = `reissue it with every name as a SAN, e.g. regctl cert issue --ca DIR --san ${cn && !cn.includes(' ') ? cn : 'reg.example.com'} --san <IP>`;

  if (!leaf.san) {
    out.push(
      finding(
        'error',
        'CERT_CN_ONLY',
        `no subjectAltName (SAN) extension: the server is named only by its CN${cn ? ` '${cn}'` : ''}, which Go ≥ 1.15 clients (Docker, containerd, Harbor) ignore; they fail with "x509: certificate relies on legacy Common Name field, use SANs instead"`,
        reissue,
      ),
    );
  } else if (leaf.san.dns.length + leaf.san.ip.length === 0) {
    out.push(finding('error', 'CERT_SAN_EMPTY', 'the subjectAltName extension names no DNS name or IP address', reissue));
  }

  if (leaf.basicConstraints?.ca && !isSelfSigned(leaf)) {
    out.push(finding('warning', 'CERT_LEAF_IS_CA', 'the server certificate is a CA certificate (CA:TRUE)', 'issue a dedicated server certificate (CA:FALSE) from the CA'));
  }
  if (isSelfSigned(leaf)) {
    out.push(
      finding('warning', 'CERT_SELF_SIGNED', 'the certificate is self-signed: every client must trust this exact certificate, and each renewal breaks them all', 'issue it from a CA instead: regctl cert ca, then regctl cert issue --ca DIR'),
    );
  } else if (leaf.selfIssued) {
    out.push(
      finding(
        'error',
        'CERT_CA_NAME_EQUALS_LEAF',
        `the issuer's name equals the certificate's own name (${cn ?? 'same subject'}) but it is not self-signed; OpenSSL-based clients report "self signed certificate" (error 18)`,
        "give the CA a different name, e.g. 'regctl CA for <host>' (regctl cert ca), and reissue the server certificate",
      ),
    );
  } else if (cn && leaf.issuerCn && cn.toLowerCase() === leaf.issuerCn.toLowerCase()) {
    out.push(finding('warning', 'CERT_CA_CN_EQUALS_LEAF', `the CA's CN equals the server certificate's CN '${cn}'; several clients confuse the two`, "give the CA a distinct CN, e.g. 'regctl CA for <host>'"));
  }

  if (leaf.notAfter <= now) {
    out.push(finding('error', 'CERT_EXPIRED', `expired on ${day(leaf.notAfter)} (${Math.floor(daysBetween(leaf.notAfter, now))} days ago)`, 'renew it from the same CA: regctl cert renew --ca DIR --cert FILE --key FILE'));
  } else if (leaf.notBefore > now) {
    out.push(finding('error', 'CERT_NOT_YET_VALID', `not valid before ${leaf.notBefore.toISOString()}`, "check this machine's clock (and the issuing machine's): clients reject it until then"));
  } else if (daysBetween(now, leaf.notAfter) < EXPIRY_WARNING_DAYS) {
    out.push(finding('warning', 'CERT_EXPIRES_SOON', `expires on ${day(leaf.notAfter)}, in ${Math.ceil(daysBetween(now, leaf.notAfter))} days`, 'renew it: regctl cert renew --ca DIR --cert FILE --key FILE'));
  }
  const lifetime = daysBetween(leaf.notBefore, leaf.notAfter);
  if (lifetime > MAX_LEAF_DAYS) {
    out.push(
      finding(
        'error',
        'CERT_VALIDITY_TOO_LONG',
        `valid for ${Math.round(lifetime)} days; Apple platforms reject TLS server certificates valid for more than ${MAX_LEAF_DAYS} days, even from a private CA`,
        `reissue it for at most ${MAX_LEAF_DAYS} days (regctl's default is ${DEFAULT_LEAF_DAYS}) and renew before expiry`,
      ),
    );
  }
  out.push(...lintKeyAndSignature(leaf, 'the server certificate'));

  const eku = leaf.extKeyUsage;
  if (!eku) {
    out.push(finding('warning', 'CERT_NO_EKU', 'no extendedKeyUsage extension; Go accepts that, but Apple clients require serverAuth', 'reissue it with extendedKeyUsage = serverAuth (regctl cert issue does this)'));
  } else if (!eku.includes(OID.serverAuth) && !eku.includes(OID.anyExtendedKeyUsage)) {
    out.push(
      finding('error', 'CERT_NO_SERVER_AUTH', 'extendedKeyUsage does not include serverAuth; clients fail with "certificate specifies an incompatible key usage"', 'reissue it with extendedKeyUsage = serverAuth (regctl cert issue does this)'),
    );
  }
  const ku = leaf.keyUsage;
  if (ku && !ku.has('digitalSignature') && !(leaf.publicKey.asymmetricKeyType === 'rsa' && ku.has('keyEncipherment'))) {
    out.push(finding('warning', 'CERT_KEY_USAGE', 'keyUsage lacks digitalSignature; TLS 1.3 clients cannot use this certificate', 'reissue it with keyUsage = digitalSignature (plus keyEncipherment for RSA)'));
  }
  return out;
}

/** Key size and signature hash, for the leaf and for intermediates. */
export function lintKeyAndSignature(c: CertificateInfo, what: string): CertFinding[] {
  const out: CertFinding[] = [];
  const bits = c.publicKey.asymmetricKeyDetails?.modulusLength;
  if (c.publicKey.asymmetricKeyType === 'rsa' && bits !== undefined && bits < MIN_RSA_BITS) {
    out.push(finding('error', 'CERT_RSA_TOO_SMALL', `${what} has a ${bits}-bit RSA key; clients (OpenSSL 3, Go, Apple) require at least ${MIN_RSA_BITS} bits`, 'reissue it with a new key of 2048 bits or more (regctl cert issue --key-type rsa-2048 or ecdsa-p256)'));
  }
  if (c.weakSignature) {
    out.push(finding('error', 'CERT_WEAK_SIGNATURE', `${what} is signed with ${c.signatureAlgorithm}; SHA-1 and MD5 signatures are rejected by Go, OpenSSL 3 and browsers`, 'have it reissued with a SHA-256 signature'));
  }
  return out;
}
