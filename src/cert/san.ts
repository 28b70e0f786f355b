/**
 * Subject alternative names from user input: each value becomes an IP SAN or a DNS SAN. Clients
 * match IP addresses only against IP SANs (an address written as a DNS name never matches), so
 * the classification is the whole point. Bad values are refused with the reason.
 */
import { domainToASCII } from 'node:url';
import { RegctlError, ExitCode } from '../errors.js';
import { ipVersion, normalizeIp } from './ip.js';

export type SanEntry = { type: 'ip'; value: string } | { type: 'dns'; value: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** How messages name the value's origin: the --san flag, or e.g. "server name" for prepare. */
type Source = string;

function invalidSan(value: string, why: string, fix: string, source: Source = '--san'): RegctlError {
  return new RegctlError('E_CERT_SAN_INVALID', `${source} '${value}': ${why}`, { fix, exitCode: ExitCode.invalidInput });
}

export function parseSan(raw: string, source: Source = '--san'): SanEntry {
  const value = raw.trim();
  const fail = (why: string, fix: string) => invalidSan(value, why, fix, source);
  const suggest = (v: string) => (source === '--san' ? `use --san ${v}` : `use ${v}`);
  if (value === '') throw fail('empty name', 'give a DNS name or an IP address, e.g. --san reg.example.com --san 192.168.1.10');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const host = safeUrlHost(value);
    throw fail('a SAN is a host name or address, not a URL', host ? suggest(host) : 'drop the scheme and path');
  }
  if (ipVersion(value)) return { type: 'ip', value: normalizeIp(value) };
  if (/^[^:]+:\d+$/.test(value) || /^\[.*\]:\d+$/.test(value)) {
    throw fail('certificates name hosts, not ports', suggest(value.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')));
  }
  if (value.includes('%')) throw fail('zone ids (e.g. fe80::1%eth0) cannot go in a certificate', 'use a global address');
  return { type: 'dns', value: normalizeDnsName(value, source) };
}

function safeUrlHost(value: string): string | undefined {
  try {
    return new URL(value).hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
  } catch {
    return undefined;
  }
}

/** Lower-case, punycode, no trailing dot; refuses names clients will never match. */
export function normalizeDnsName(input: string, source: Source = '--san'): string {
  let name = input.toLowerCase().replace(/\.$/, '');
  const wildcard = name.startsWith('*.');
  const rest = wildcard ? name.slice(2) : name;
  const ascii = domainToASCII(rest);
  if (!ascii) throw invalidSan(input, 'not a valid DNS name', 'use letters, digits, hyphens and dots, e.g. reg.example.com', source);
  name = wildcard ? `*.${ascii}` : ascii;
  if (name.includes('*') && !wildcard) {
    throw invalidSan(input, 'a wildcard must be the whole left-most label', 'use e.g. *.example.com', source);
  }
  const labels = ascii.split('.');
  if (name.length > 253 || !labels.every((l) => LABEL.test(l))) {
    throw invalidSan(input, 'not a valid DNS name', 'use letters, digits and hyphens in dot-separated labels (underscores are not allowed in host names)', source);
  }
  if (wildcard && labels.length < 2) {
    throw invalidSan(input, 'a wildcard needs at least two labels after it', 'use e.g. *.example.com, not *.com', source);
  }
  return name;
}

/** Parses and de-duplicates, keeping the first occurrence's order (the first SAN becomes the CN). */
export function parseSans(values: string[], source: Source = '--san'): SanEntry[] {
  const seen = new Set<string>();
  const out: SanEntry[] = [];
  for (const v of values) {
    const entry = parseSan(v, source);
    const key = `${entry.type}:${entry.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}
