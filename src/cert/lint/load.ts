/** Reading the files the linter checks; every failure becomes a finding rather than an exception. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseCertificate, CertificateInfo } from '../certificate-info.js';
import { isPrivateKeyLabel, pemBlocks } from '../pem.js';
import { CertFinding, finding } from './types.js';

export interface LoadedCertificates {
  certs: CertificateInfo[];
  findings: CertFinding[];
}

/**
 * Reads every certificate in a PEM file. `role` words the messages: the server certificate file
 * or the CA file.
 */
export async function loadCertificates(file: string, role: 'server' | 'ca'): Promise<LoadedCertificates> {
  const prefix = role === 'server' ? 'CERT' : 'CA';
  const findings: CertFinding[] = [];
  let raw: Buffer;
  try {
    let target = file;
    if (role === 'ca' && (await fs.stat(file)).isDirectory()) target = path.join(file, 'ca.crt');
    raw = await fs.readFile(target);
  } catch (err) {
    return {
      certs: [],
      findings: [finding('error', `${prefix}_UNREADABLE`, `cannot read ${file}: ${(err as Error).message}`, 'check the path and the file permissions')],
    };
  }
  const text = raw.toString('latin1');
  const blocks = pemBlocks(text);
  if (blocks.length === 0) {
    const der = raw[0] === 0x30;
    return {
      certs: [],
      findings: [
        finding(
          'error',
          `${prefix}_NOT_PEM`,
          der ? `${file} is DER (binary), not PEM` : `${file} contains no PEM certificate (no -----BEGIN CERTIFICATE----- line)`,
          der ? `convert it: openssl x509 -inform der -in ${file} -out ${file}.pem` : 'give the certificate file in PEM form, as your CA delivered it',
        ),
      ],
    };
  }
  if (blocks.some((b) => isPrivateKeyLabel(b.label))) {
    findings.push(
      finding(
        role === 'ca' ? 'error' : 'warning',
        `${prefix}_CONTAINS_PRIVATE_KEY`,
        role === 'ca'
          ? `${file} contains a private key; a CA file handed to clients must hold certificates only`
          : `${file} also contains a private key; whoever is given the certificate gets the key too`,
        role === 'ca' ? 'give the certificate part only (ca.crt), never ca.key' : 'keep the key in its own file with mode 0600 and the certificate(s) in another',
      ),
    );
  }
  const certs: CertificateInfo[] = [];
  blocks
    .filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE' || b.label === 'X509 CERTIFICATE')
    .forEach((b, i) => {
      try {
        certs.push(parseCertificate(b.der));
      } catch (err) {
        findings.push(
          finding('error', `${prefix}_PARSE`, `certificate #${i + 1} in ${file} cannot be parsed (${(err as Error).message})`, 'the PEM block is damaged or truncated; copy it again from its source'),
        );
      }
    });
  if (certs.length === 0 && !findings.some((f) => f.code === `${prefix}_PARSE`)) {
    findings.push(finding('error', `${prefix}_NO_CERTIFICATE`, `${file} contains no certificate (only ${[...new Set(blocks.map((b) => b.label))].join(', ')})`, 'point to the certificate file, not the key'));
  }
  return { certs, findings };
}
