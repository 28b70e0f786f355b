/**
 * The https certificate nginx will serve: the linter of `regctl cert check` on the configured
 * certificate, key and CA, with every name clients use (the hostname and the external_url host,
 * where the token realm lives) as hosts to cover. Errors fail, warnings warn.
 */
import type { HarborConfig } from '../../config/model.js';
import { pass, warn, fail, type CheckResult, type DoctorCheck } from '../types.js';

/** Names clients reach the registry by: hostname, and the external_url host when different. */
export function clientHosts(config: HarborConfig): string[] {
  const hosts = [config.hostname];
  if (config.externalUrl) {
    try {
      const h = new URL(config.externalUrl).hostname.replace(/^\[|\]$/g, '');
      if (h && !hosts.includes(h)) hosts.push(h);
    } catch {
      // external_url is validated by the config loader
    }
  }
  return hosts;
}


export const certificateCheck: DoctorCheck = {
  name: 'certificate',
  async run({ target, now }) {
    if (!target) return [];
    const check = 'https certificate';
    const { config } = target;
    if (config.protocol !== 'https' || !config.https) return [pass(check, 'not used: Harbor is served over http')];
    const cert = target.hostPath(config.https.certificate);
    const hosts = clientHosts(config);
    // loaded on demand: the linter pulls in the X.509 library
    const { inspectCertificate } = await import('../../cert/lint.js');
    const report = await inspectCertificate({
      cert,
      key: target.hostPath(config.https.privateKey),
      ca: config.https.caFile ? target.hostPath(config.https.caFile) : undefined,
      hosts,
      now,
    });
    const results: CheckResult[] = report.findings.map((f) =>
      f.severity === 'error' ? fail(check, `${cert}: ${f.message} [${f.code}]`, f.fix) : warn(check, `${cert}: ${f.message} [${f.code}]`, f.fix),
    );
    if (results.length) return results;
    const days = report.leaf ? Math.floor((report.leaf.notAfter.getTime() - now.getTime()) / 86_400_000) : undefined;
    return [pass(check, `${cert} covers ${hosts.join(', ')}${days === undefined ? '' : `; valid for ${days} more days`}`)];
  },
};
