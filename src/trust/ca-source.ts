/**
 * The CA certificate to install on clients. Only certificates leave this module: a file holding a
 * private key is refused outright (Harbor's own docs have users copy the server key to clients),
 * and what gets written is re-encoded from the parsed certificates, never the file's raw text.
 */
import { statIfExists } from '../util/fs.js';
import path from 'node:path';
import { RegctlError, ExitCode } from '../errors.js';
import { CertificateInfo, parseCertificate, formatName } from '../cert/certificate-info.js';
import { isSelfSigned } from '../cert/relations.js';
import { derToPem, isPrivateKeyLabel, pemBlocks } from '../cert/pem.js';
import { readRegularFile } from '../util/safe-read.js';

export interface TrustAnchor {
  file: string;
  pem: string;
  certs: CertificateInfo[];
  warnings: string[];
}

/**
 * A CA clients cannot use is refused before anything is installed: expired or not yet valid
 * (every TLS handshake would fail, silently to the operator), or without keyCertSign (clients
 * reject every certificate it signed). --force installs it anyway, with the reason as a warning.
 */
function caUsabilityProblems(c: CertificateInfo, now: Date): { code: string; message: string }[] {
  const name = formatName(c.subject);
  const out: { code: string; message: string }[] = [];
  if (now > c.notAfter) out.push({ code: 'E_TRUST_CA_EXPIRED', message: `the CA ${name} expired on ${c.notAfter.toISOString()}` });
  if (now < c.notBefore) out.push({ code: 'E_TRUST_CA_NOT_YET_VALID', message: `the CA ${name} is not valid before ${c.notBefore.toISOString()} (check this machine's clock)` });
  if (c.keyUsage && !c.keyUsage.has('keyCertSign')) out.push({ code: 'E_TRUST_CA_NO_KEYCERTSIGN', message: `the CA ${name} has a key usage without keyCertSign, so clients reject every certificate it signed` });
  return out;
}

export async function loadTrustAnchor(input: string, opts: { now?: Date; force?: boolean } = {}): Promise<TrustAnchor> {
  let file = input;
  const stat = await statIfExists(input, { follow: true });
  if (!stat) {
    throw new RegctlError('E_TRUST_CA_NOT_FOUND', `--ca ${input} does not exist`, { fix: 'pass the CA certificate (ca.crt) or the directory regctl cert ca made', exitCode: ExitCode.invalidInput, file: input });
  }
  if (stat.isDirectory()) file = path.join(input, 'ca.crt');
  const bytes = await readRegularFile(file, { follow: true, what: '--ca' }).catch((err: Error) => {
    if (err instanceof RegctlError) throw err;
    throw new RegctlError('E_TRUST_CA_UNREADABLE', `cannot read ${file}: ${err.message}`, { fix: 'check the path and permissions', exitCode: ExitCode.invalidInput, file });
  });
  if (!bytes) throw new RegctlError('E_TRUST_CA_NOT_FOUND', `${file} does not exist`, { fix: 'pass the CA certificate (ca.crt) or the directory regctl cert ca made', exitCode: ExitCode.invalidInput, file });
  const text = bytes.toString('latin1');
  const blocks = pemBlocks(text);
  if (blocks.some((b) => isPrivateKeyLabel(b.label))) {
    throw new RegctlError('E_TRUST_PRIVATE_KEY', `${file} contains a private key; nothing was written`, {
      fix: 'clients need only the CA certificate (ca.crt); a private key must never be copied to clients',
      exitCode: ExitCode.invalidInput,
      file,
    });
  }
  const certs: CertificateInfo[] = [];
  for (const b of blocks.filter((x) => x.label === 'CERTIFICATE')) {
    try {
      certs.push(parseCertificate(b.der));
    } catch (err) {
      throw new RegctlError('E_TRUST_CA_INVALID', `${file} holds a certificate that cannot be parsed (${(err as Error).message})`, { fix: 'give the CA certificate in PEM form', exitCode: ExitCode.invalidInput, file });
    }
  }
  if (certs.length === 0) {
    throw new RegctlError('E_TRUST_CA_INVALID', `${file} contains no PEM certificate`, { fix: 'give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)', exitCode: ExitCode.invalidInput, file });
  }
  const warnings: string[] = [];
  for (const c of certs) {
    if (c.basicConstraints?.ca) {
      for (const p of caUsabilityProblems(c, opts.now ?? new Date())) {
        if (opts.force) warnings.push(`${p.message}; installed anyway (--force)`);
        else throw new RegctlError(p.code, `${p.message}; nothing was written`, { fix: 'trust the CA that signed the registry\'s current certificate (regctl cert ca makes a new one), or pass --force to install this one anyway', exitCode: ExitCode.invalidInput, file });
      }
      continue;
    }
    if (!isSelfSigned(c)) {
      throw new RegctlError('E_TRUST_NOT_CA', `${file} is a server certificate (${formatName(c.subject)}) issued by '${c.issuerCn ?? formatName(c.issuer)}', not a CA; nothing was written`, {
        fix: 'trust the CA that issued it (its ca.crt); clients then accept every certificate that CA issues, including renewals',
        exitCode: ExitCode.invalidInput,
        file,
      });
    }
    warnings.push(`${formatName(c.subject)} is a self-signed server certificate, not a CA: clients will trust exactly this certificate and must be updated after every renewal`);
  }
  return { file, pem: certs.map((c) => derToPem(c.der)).join(''), certs, warnings };
}
