/** Is every name and address clients use covered by the certificate? */
import type { CertificateInfo } from '../certificate-info.js';
import { hostCoverage } from '../host-match.js';
import { CertFinding, finding } from './types.js';

export function lintHosts(leaf: CertificateInfo, hosts: string[]): CertFinding[] {
  const out: CertFinding[] = [];
  for (const host of hosts) {
    const c = hostCoverage(host, leaf.san, leaf.subjectCn);
    if (!c.covered) {
      out.push(finding('error', 'HOST_NOT_COVERED', `clients using ${host} will fail: ${c.reason}`, `reissue the certificate with ${host} among the names: regctl cert issue --ca DIR --san ${host} --san <other names>`));
    }
  }
  return out;
}
