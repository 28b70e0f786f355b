/**
 * The certificate linter behind `regctl cert check` (and doctor's https check): reads a server
 * certificate file (leaf + intermediates), optionally its key and the CA clients trust, and
 * reports every problem with a fix. It never throws for a bad input: unreadable files are
 * findings too.
 */
import type { CertificateInfo } from './certificate-info.js';
import { lintChain } from './lint/chain.js';
import { lintHosts } from './lint/host-rules.js';
import { lintKey } from './lint/key-rules.js';
import { lintLeaf } from './lint/leaf-rules.js';
import { loadCertificates } from './lint/load.js';
import type { CertFinding, LintOptions } from './lint/types.js';

export type { CertFinding, LintOptions } from './lint/types.js';

export interface CertReport {
  findings: CertFinding[];
  /** the server certificate, when the file could be read */
  leaf?: CertificateInfo;
  /** leaf followed by the intermediates found in the file */
  chain: CertificateInfo[];
}

/** Lints and also returns what was read, for callers that show a summary. */
export async function inspectCertificate(opts: LintOptions): Promise<CertReport> {
  const now = opts.now ?? new Date();
  const loaded = await loadCertificates(opts.cert, 'server');
  const findings = [...loaded.findings];
  let caCerts: CertificateInfo[] | undefined;
  if (opts.ca !== undefined) {
    const ca = await loadCertificates(opts.ca, 'ca');
    findings.push(...ca.findings);
    caCerts = ca.certs;
  }
  if (loaded.certs.length === 0) {
    if (opts.key) findings.push(...(await lintKey(opts.key, undefined, opts.cert)));
    return { findings, chain: [] };
  }
  const chain = lintChain(loaded.certs, caCerts, now);
  findings.push(...lintLeaf(chain.leaf, now), ...chain.findings);
  if (opts.key) findings.push(...(await lintKey(opts.key, chain.leaf, opts.cert)));
  if (opts.hosts?.length) findings.push(...lintHosts(chain.leaf, opts.hosts));
  // errors first, so the cause of a failure is the first thing read
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { findings, leaf: chain.leaf, chain: chain.path };
}

export async function lintCertificate(opts: LintOptions): Promise<CertFinding[]> {
  return (await inspectCertificate(opts)).findings;
}

export function hasErrors(findings: CertFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
