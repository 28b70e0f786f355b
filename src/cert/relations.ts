/** How two certificates relate: who signed whom. Used when issuing, renewing, trusting and linting. */
import type { CertificateInfo } from './certificate-info.js';

/** child was signed by parent: names match (and key ids, when present) and the signature verifies. */
export function issuedBy(child: CertificateInfo, parent: CertificateInfo): boolean {
  return child.x509.checkIssued(parent.x509) && child.x509.verify(parent.publicKey);
}

/** Issued by itself, with its own key: a root, or a self-signed server certificate. */
export function isSelfSigned(c: CertificateInfo): boolean {
  return c.selfIssued && c.x509.verify(c.publicKey);
}
