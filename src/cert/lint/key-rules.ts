/** Checks on the private key that goes with the server certificate. */
import { promises as fs } from 'node:fs';
import type { CertificateInfo } from '../certificate-info.js';
import { readPrivateKey, sameKey } from '../key-file.js';
import { CertFinding, finding } from './types.js';

export async function lintKey(keyFile: string, leaf: CertificateInfo | undefined, certFile: string): Promise<CertFinding[]> {
  const out: CertFinding[] = [];
  const read = await readPrivateKey(keyFile);
  if (!read.ok) return [finding('error', read.code, read.message, read.fix)];
  const mode = (await fs.stat(keyFile)).mode & 0o777;
  if (mode & 0o077) {
    out.push(finding('warning', 'KEY_PERMISSIONS', `${keyFile} has mode ${mode.toString(8).padStart(4, '0')}: other users can read the server's private key`, `chmod 600 ${keyFile}`));
  }
  if (leaf && !sameKey(read.key, leaf.publicKey)) {
    out.push(
      finding(
        'error',
        'KEY_MISMATCH',
        `${keyFile} does not belong to ${certFile}: the certificate's public key is not this key's (the server will fail with "key values mismatch")`,
        `use the key generated together with this certificate; compare: openssl x509 -noout -pubkey -in ${certFile} | sha256sum and openssl pkey -pubout -in ${keyFile} | sha256sum`,
      ),
    );
  }
  return out;
}
