/**
 * The token-signing pair Harbor core uses for registry bearer tokens: an RSA-4096 key in PKCS#1
 * ("traditional") PEM and a self-signed certificate with an empty subject, valid 10 years, as
 * Harbor's prepare makes it. Node's crypto generates the key (much faster than forge's JS RSA);
 * node-forge builds and signs the certificate.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface TokenPair {
  privateKeyPem: string;
  certificatePem: string;
}

export async function createTokenPair(now = new Date()): Promise<TokenPair> {
  // loaded on demand: only a first run needs forge, and it costs start-up time on every run
  const { default: forge } = await import('node-forge');
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const pub = forge.pki.setRsaPublicKey(key.n, key.e);
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  // positive 16-byte serial
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + 3650 * 24 * 3600 * 1000);
  cert.setSubject([]);
  cert.setIssuer([]);
  cert.setExtensions([
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: true },
    { name: 'basicConstraints', cA: true, critical: true },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { privateKeyPem: privateKey, certificatePem: forge.pki.certificateToPem(cert) };
}
