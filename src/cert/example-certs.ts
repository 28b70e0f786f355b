/**
 * The certificate pair and CA bundled in examples/certs/: their private keys ship in the npm
 * package, so anyone can impersonate a registry that uses them. Recognised by fingerprint (the
 * SHA-256 of the DER, so a copied or re-wrapped PEM still matches); test/cert/example-certs.test.ts
 * keeps these in step with the files.
 */
import { X509Certificate } from 'node:crypto';
import { problem, type Problem } from '../errors.js';

export const EXAMPLE_CERTIFICATES: readonly { fingerprint256: string; what: string }[] = [
  { fingerprint256: '4A:A8:E4:84:3C:7B:53:1B:1B:87:0C:68:AE:47:E4:CA:62:26:BC:B7:71:BC:87:5D:15:84:9A:66:6A:A8:90:E3', what: "regctl's example CA" },
  { fingerprint256: 'DC:7B:70:52:D9:4B:62:26:7A:12:F5:C3:A6:3F:00:B3:39:95:8F:67:C1:DD:58:58:08:E3:62:B2:9B:78:5E:6D', what: "regctl's example server certificate" },
];

/** Which bundled example certificate this PEM text (first certificate) is, if any. */
export function exampleCertificate(pem: string | Buffer | undefined): string | undefined {
  if (!pem) return undefined;
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem.toString());
  if (!first) return undefined;
  let fp: string;
  try {
    fp = new X509Certificate(first[0]).fingerprint256;
  } catch {
    return undefined;
  }
  return EXAMPLE_CERTIFICATES.find((c) => c.fingerprint256 === fp)?.what;
}

/** The warning every command gives when it meets one (prepare, doctor, install, cert trust). */
export function exampleCertificateWarning(file: string, what: string, key?: string): Problem {
  return problem('warning', 'W_EXAMPLE_CERT', `${file} is ${what}: its private key is public (it ships with regctl), so anyone can impersonate a registry using it`, {
    file,
    key,
    fix: 'for anything but a try-out, make your own: regctl prepare --generate-certs (with https.certificate/private_key pointing at files that do not exist yet), or regctl cert ca and regctl cert issue',
  });
}

/** Warnings for the example certificate or CA in a config's https block, read where regctl reads them. */
export async function exampleCertificateFindings(
  https: { certificate: string; caFile?: string } | undefined,
  at: (configPath: string) => string,
  read: (file: string) => Promise<Buffer | undefined>,
): Promise<Problem[]> {
  if (!https) return [];
  const found: Problem[] = [];
  for (const [key, p] of [['https.certificate', https.certificate], ['https.ca_file', https.caFile]] as const) {
    if (!p) continue;
    const what = exampleCertificate(await read(at(p)).catch(() => undefined));
    if (what) found.push(exampleCertificateWarning(at(p), what, key));
  }
  return found;
}
