/**
 * Does a certificate cover a host name or address, and if not, why not, in the words a user
 * needs. The rules are the ones Go, OpenSSL and browsers apply: addresses match IP SANs only;
 * names match DNS SANs, where a wildcard stands for exactly one whole left-most label; the CN is
 * never consulted (Go ≥ 1.15).
 */
import { ipVersion, normalizeIp, stripBrackets } from './ip.js';

export interface SanSet {
  dns: string[];
  ip: string[];
}

export type Coverage = { covered: true; by: string } | { covered: false; reason: string };

/** `reg.example.com:5000` → `reg.example.com`, `[::1]:5000` → `::1`: certificates name hosts, not ports. */
export function hostWithoutPort(host: string): string {
  const h = host.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
  if (bracketed) return bracketed[1]!;
  if (ipVersion(h) === 6) return h;
  return h.replace(/:\d+$/, '');
}

export function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const base = pattern.slice(2);
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === base;
}

export function hostCoverage(rawHost: string, san: SanSet | undefined, commonName?: string): Coverage {
  const host = stripBrackets(hostWithoutPort(rawHost)).toLowerCase().replace(/\.$/, '');
  const listed = san ? [...san.dns.map((d) => `DNS:${d}`), ...san.ip.map((i) => `IP:${i}`)].join(', ') || 'nothing' : '';
  if (!san) {
    const cnNote = commonName && commonName.toLowerCase() === host ? ` (it appears only as the CN '${commonName}', which clients ignore)` : '';
    return { covered: false, reason: `the certificate has no subjectAltName, so it covers no host at all${cnNote}` };
  }
  if (ipVersion(host)) {
    const ip = normalizeIp(host);
    if (san.ip.includes(ip)) return { covered: true, by: `IP:${ip}` };
    if (san.dns.some((d) => d === host || d === ip)) {
      return { covered: false, reason: `${host} is listed as a DNS name (DNS:${host}); clients compare addresses only with IP SANs, so it needs IP:${ip}` };
    }
    return { covered: false, reason: `no IP SAN for ${ip} (the certificate covers ${listed})` };
  }
  const dns = san.dns.map((d) => d.toLowerCase().replace(/\.$/, ''));
  if (dns.includes(host)) return { covered: true, by: `DNS:${host}` };
  const wildcard = dns.find((d) => wildcardMatches(d, host));
  if (wildcard) return { covered: true, by: `DNS:${wildcard}` };
  for (const d of dns.filter((x) => x.startsWith('*.'))) {
    const base = d.slice(2);
    if (host === base) return { covered: false, reason: `${d} does not cover ${base} itself; it needs its own DNS:${base}` };
    if (host.endsWith(`.${base}`)) {
      return { covered: false, reason: `${d} covers exactly one label (x.${base}), not ${host}` };
    }
  }
  return { covered: false, reason: `no DNS SAN matches ${host} (the certificate covers ${listed})` };
}
