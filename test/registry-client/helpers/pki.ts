/** Test PKI with openssl: a private CA and a leaf for 127.0.0.1 it signs, and a self-signed token-signing pair. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
}

export function makePki(dir: string, name = 'ca'): Pki {
  const caKey = path.join(dir, `${name}.key`);
  const caCert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}-server.key`);
  const csr = path.join(dir, `${name}-server.csr`);
  const cert = path.join(dir, `${name}-server.crt`);
  const ext = path.join(dir, `${name}-server.ext`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '2', '-subj', `/CN=regctl test ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'], dir);
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > ${JSON.stringify(ext)}`]);
  openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext], dir);
  return { caCert, cert, key };
}

/** An RSA key and a self-signed certificate for it: the registry's auth.token.rootcertbundle. */
export function makeTokenSigner(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'token.key');
  const cert = path.join(dir, 'token.crt');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=regctl test token signer'], dir);
  return { key, cert };
}
