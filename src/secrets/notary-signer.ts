/**
 * Notary's signer material (the 2.8 line, --with-notary): the TLS pair notary-signer serves gRPC
 * with and the CA notary-server checks it against (trust_service.tls_ca_file), plus the signer's
 * key-encryption alias. Harbor's utils/notary.py at v2.8.6 makes them with openssl: an RSA-4096 CA
 * and an RSA-4096 leaf for DNS:notarysigner, 3650 days, the CA key thrown away; regctl makes the same
 * with node:crypto and the certificate code of src/cert (nothing shelled out).
 */
import { X509Certificate } from 'node:crypto';
import { createCa } from '../cert/ca.js';
import { issueLeaf } from '../cert/leaf.js';
import { generateKey } from '../cert/key-types.js';

/** notary-server dials notary-signer by this name (trust_service.hostname), the leaf's only SAN */
export const NOTARY_SIGNER_HOSTNAME = 'notarysigner';
/** validity Harbor gives both certificates */
export const NOTARY_SIGNER_DAYS = 3650;

export interface NotarySignerPair {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

export async function createNotarySignerPair(now = new Date()): Promise<NotarySignerPair> {
  const [caKeys, leafKeys] = await Promise.all([generateKey('rsa-4096'), generateKey('rsa-4096')]);
  const ca = await createCa({ commonName: 'regctl notary-signer CA', keyPair: caKeys, days: NOTARY_SIGNER_DAYS, now });
  const leaf = await issueLeaf({ ca, sans: [{ type: 'dns', value: NOTARY_SIGNER_HOSTNAME }], keyPair: leafKeys, days: NOTARY_SIGNER_DAYS, now });
  // the CA key is not kept: nothing else is ever signed with it (as in Harbor)
  return { caCertPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
}

/**
 * Harbor deletes a signer certificate without a subjectAltName (pre-1.9 installs made one with the
 * CN only, which Go's TLS no longer accepts) so that a new pair is made; an unparsable one too.
 */
export function signerCertHasSan(pem: string): boolean {
  try {
    return Boolean(new X509Certificate(pem).subjectAltName);
  } catch {
    return false;
  }
}
