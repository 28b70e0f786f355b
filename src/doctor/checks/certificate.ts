/**
 * The https certificate nginx will serve covers every name clients use: the hostname and the
 * external_url host (the token realm lives there too). Delegates to the certificate linter of
 * `regctl cert check` when it is available.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
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

function withRoot(root: string | undefined, p: string): string {
  return root ? path.join(path.resolve(root), p) : p;
}

export const certificateCheck: DoctorCheck = {
  name: 'certificate',
  async run({ target, now }) {
    if (!target) return [];
    const check = 'https certificate';
    const { config } = target;
    if (config.protocol !== 'https' || !config.https) return [pass(check, 'not used: Harbor is served over http')];
    const certFile = withRoot(target.root, config.https.certificate);
    const keyFile = withRoot(target.root, config.https.privateKey);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(await readFile(certFile));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return [fail(check, `cannot read ${certFile}: ${e.code ?? e.message}`, 'point https.certificate at a PEM certificate, or create one with `regctl cert issue`')];
    }
    const results: CheckResult[] = [];
    const uncovered = clientHosts(config).filter((h) => (isIP(h) ? !cert.checkIP(h) : !cert.checkHost(h, { subject: 'never' })));
    if (uncovered.length) {
      results.push(fail(check, `${certFile} does not cover ${uncovered.join(', ')} (SANs: ${cert.subjectAltName ?? 'none'})`, `issue a certificate whose SANs include ${uncovered.join(', ')}: regctl cert issue`));
    }
    const notAfter = new Date(cert.validTo);
    const notBefore = new Date(cert.validFrom);
    if (notAfter < now) results.push(fail(check, `${certFile} expired on ${notAfter.toISOString().slice(0, 10)}`, 'renew it: regctl cert issue'));
    else if (notBefore > now) results.push(fail(check, `${certFile} is not valid before ${notBefore.toISOString()}`, "check this host's clock, or re-issue the certificate"));
    try {
      const key = createPrivateKey(await readFile(keyFile));
      if (!cert.checkPrivateKey(key)) {
        results.push(fail(check, `${keyFile} is not the key of ${certFile}`, 'point https.private_key at the key the certificate was issued for'));
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      results.push(fail(check, `cannot read the private key ${keyFile}: ${e.code ?? e.message}`, 'point https.private_key at the PEM key of the certificate'));
    }
    if (results.length) return results;
    const days = Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
    if (days < 30) return [warn(check, `${certFile} covers ${clientHosts(config).join(', ')} but expires in ${days} days`, 'renew it soon: regctl cert issue')];
    return [pass(check, `${certFile} covers ${clientHosts(config).join(', ')}; valid for ${days} more days`)];
  },
};
