/**
 * Which names a server certificate should cover when the user names none. Users reach a
 * registry by FQDN, short host name or any of its addresses (missing IP SANs are the most common
 * Harbor TLS failure), so all of them go in. Pure: the caller passes os.networkInterfaces().
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { isLinkLocalIp, isLoopbackIp, ipVersion, normalizeIp } from './ip.js';

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Every global address of the machine: no loopback, no link-local (they need a zone id). */
export function hostAddresses(interfaces: Interfaces): string[] {
  const out: string[] = [];
  for (const name of Object.keys(interfaces).sort()) {
    for (const info of interfaces[name] ?? []) {
      if (info.internal || isLoopbackIp(info.address) || isLinkLocalIp(info.address)) continue;
      const ip = normalizeIp(info.address);
      if (!out.includes(ip)) out.push(ip);
    }
  }
  // IPv4 first: it is what most users type
  return [...out.filter((a) => ipVersion(a) === 4), ...out.filter((a) => ipVersion(a) === 6)];
}

/** A name worth putting in a certificate: not empty, not "localhost", not an address. */
function usableName(name: string | undefined): string | undefined {
  const n = name?.trim().toLowerCase().replace(/\.$/, '');
  if (!n || n === 'localhost' || n === 'localhost.localdomain' || ipVersion(n)) return undefined;
  return n;
}

/**
 * The SANs for `regctl cert issue` without --san: FQDN (first, so it becomes the CN), the short
 * host name, then every non-loopback address.
 */
export function collectDefaultSans(input: { hostname: string; fqdn?: string; interfaces: Interfaces }): string[] {
  const names: string[] = [];
  const add = (v: string | undefined) => {
    if (v && !names.includes(v)) names.push(v);
  };
  const host = usableName(input.hostname);
  const fqdn = usableName(input.fqdn) ?? (host?.includes('.') ? host : undefined);
  if (fqdn?.includes('.')) add(fqdn);
  add(host?.split('.')[0]);
  for (const ip of hostAddresses(input.interfaces)) add(ip);
  return names;
}
