/**
 * The chain in the server's certificate file: leaf first, then each intermediate in order, and
 * complete up to a CA the client trusts. Browsers fetch missing intermediates; Docker and other
 * Go clients do not, which is why "signed by unknown authority" hides two different problems
 * (spec §1 A3). This module tells them apart.
 */
import { rootCertificates } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { CertificateInfo, formatName } from '../certificate-info.js';
import { issuedBy, isSelfSigned } from '../relations.js';
import { lintKeyAndSignature } from './leaf-rules.js';
import { CertFinding, finding } from './types.js';

const label = (c: CertificateInfo) => `'${c.subjectCn ?? formatName(c.subject)}'`;
const issuerLabel = (c: CertificateInfo) => `'${c.issuerCn ?? formatName(c.issuer)}'`;

let publicRoots: X509Certificate[] | undefined;
function issuedByPublicRoot(c: CertificateInfo): boolean {
  publicRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return publicRoots.some((root) => c.x509.checkIssued(root) && c.x509.verify(root.publicKey));
}

export interface ChainResult {
  findings: CertFinding[];
  /** the leaf (the server certificate), even when the file had it in the wrong place */
  leaf: CertificateInfo;
  /** leaf, intermediates...: the path found in the file */
  path: CertificateInfo[];
}

/** The leaf is the first certificate that signs none of the others. */
function findLeaf(certs: CertificateInfo[]): CertificateInfo {
  return certs.find((c) => !certs.some((other) => other !== c && issuedBy(other, c))) ?? certs[0]!;
}

export function lintChain(certs: CertificateInfo[], caCerts: CertificateInfo[] | undefined, now: Date): ChainResult {
  const findings: CertFinding[] = [];
  const leaf = findLeaf(certs);
  const path = [leaf];
  for (;;) {
    const last = path[path.length - 1]!;
    if (isSelfSigned(last)) break;
    const parent = certs.find((c) => !path.includes(c) && issuedBy(last, c));
    if (!parent) break;
    path.push(parent);
  }

  if (certs[0] !== leaf) {
    findings.push(finding('error', 'CHAIN_ORDER', `the server certificate ${label(leaf)} is not first in the file (found ${label(certs[0]!)} first); servers send the file in order and clients expect the leaf first`, 'put the server certificate first, then its intermediate(s): cat server.crt intermediate.crt > fullchain.crt'));
  } else if (path.some((c, i) => certs[i] !== c)) {
    findings.push(finding('error', 'CHAIN_ORDER', `the intermediates are out of order; expected ${path.map(label).join(' → ')}`, 'order the file leaf first, then each certificate followed by the one that signed it'));
  }
  for (const stray of certs.filter((c) => !path.includes(c))) {
    findings.push(finding('warning', 'CHAIN_UNRELATED', `${label(stray)} in the file is not part of the server certificate's chain`, 'remove it from the file; it only confuses clients'));
  }
  for (const c of path.slice(1)) {
    if (!c.basicConstraints?.ca) {
      findings.push(finding('error', 'CHAIN_NOT_CA', `${label(c)} signs ${label(path[path.indexOf(c) - 1]!)} but is not a CA certificate (no CA:TRUE)`, 'ask the issuer for the correct intermediate certificate'));
    }
    if (c.notAfter <= now) {
      findings.push(finding('error', 'CHAIN_EXPIRED', `the chain certificate ${label(c)} expired on ${c.notAfter.toISOString().slice(0, 10)}`, 'replace it with the current intermediate from your CA'));
    }
    if (!isSelfSigned(c)) findings.push(...lintKeyAndSignature(c, `the intermediate ${label(c)}`));
  }

  const top = path[path.length - 1]!;
  const topIsRoot = isSelfSigned(top);
  if (caCerts && caCerts.length > 0) {
    findings.push(...checkAgainstCa(path, top, topIsRoot, caCerts, now));
  } else if (!topIsRoot && !issuedByPublicRoot(top)) {
    findings.push(
      finding(
        'warning',
        'CHAIN_UNKNOWN_ISSUER',
        `the chain ends at ${label(top)}, issued by ${issuerLabel(top)}, which is neither in the file nor a public root CA`,
        `if ${issuerLabel(top)} is your private CA, pass --ca and install it on clients (regctl cert trust); if it is an intermediate, append it to the file after the server certificate`,
      ),
    );
  }
  return { findings, leaf, path };
}

function checkAgainstCa(path: CertificateInfo[], top: CertificateInfo, topIsRoot: boolean, caCerts: CertificateInfo[], now: Date): CertFinding[] {
  const out: CertFinding[] = [];
  for (const ca of caCerts) {
    if (ca.notAfter <= now) out.push(finding('error', 'CA_EXPIRED', `the CA ${label(ca)} expired on ${ca.notAfter.toISOString().slice(0, 10)}`, 'create or obtain a new CA, reissue, and trust the new CA on clients'));
  }
  // the trusted CA may appear inside the chain (a root appended to the file, or --ca naming an intermediate)
  if (path.some((c) => caCerts.some((ca) => ca.der.equals(c.der)))) return out;
  if (caCerts.some((ca) => issuedBy(top, ca))) return out;
  const sameName = caCerts.find((ca) => ca.subjectDer.equals(top.issuerDer));
  if (sameName) {
    out.push(finding('error', 'CHAIN_WRONG_CA', `${label(top)} names ${issuerLabel(top)} as its issuer, but the --ca certificate of that name has a different key (was the CA re-created?)`, 'use the CA that actually signed this certificate, or reissue the certificate from the current CA'));
  } else if (topIsRoot) {
    out.push(finding('error', 'CHAIN_WRONG_CA', `the chain ends at the root ${label(top)}, which is not the --ca certificate (${caCerts.map(label).join(', ')})`, 'pass the CA that signed this certificate as --ca, or reissue the certificate from your CA'));
  } else {
    const trusted = caCerts.map(label).join(', ');
    out.push(
      finding(
        'error',
        'CHAIN_INCOMPLETE',
        `${label(top)} was issued by ${issuerLabel(top)}, which is neither in the file nor the --ca certificate (${trusted}): either an intermediate is missing (Docker and other Go clients do not fetch it and fail with "certificate signed by unknown authority") or --ca names the wrong CA`,
        `if ${issuerLabel(top)} is an intermediate, append it after the server certificate (cat server.crt intermediate.crt > fullchain.crt) and configure the server with the full chain; if it is a root, pass it as --ca`,
      ),
    );
  }
  return out;
}
