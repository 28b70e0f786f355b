/**
 * What `regctl init` proposes, read from the host: its FQDN, its addresses (each classified, so
 * loopback, Docker bridge and link-local ones are named but never offered), and free space.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { statfs } from 'node:fs/promises';
import { isLinkLocalIp, isLoopbackIp, ipVersion, normalizeIp } from '../cert/ip.js';
import { existingAncestor, formatBytes } from '../doctor/checks/disk-space.js';

export type AddressKind = 'usable' | 'loopback' | 'docker-bridge' | 'link-local';

export interface HostAddress {
  address: string;
  iface: string;
  kind: AddressKind;
}

export interface HostDetection {
  /** `hostname -f` when dotted, else undefined */
  fqdn?: string;
  /** os.hostname() */
  shortName: string;
  addresses: HostAddress[];
}

/** Interfaces Docker (or another container runtime) creates: their addresses are not the host's. */
export function isContainerBridge(iface: string): boolean {
  return /^(docker\d*|docker_gwbridge|br-[0-9a-f]{6,}|veth|cni|podman|flannel|cali|vxlan|kube-bridge|lxcbr|virbr)/.test(iface);
}

export function classifyAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): HostAddress[] {
  const out: HostAddress[] = [];
  for (const iface of Object.keys(interfaces).sort()) {
    for (const info of interfaces[iface] ?? []) {
      const address = normalizeIp(info.address);
      if (out.some((a) => a.address === address)) continue;
      const kind: AddressKind =
        info.internal || isLoopbackIp(address) ? 'loopback' : isLinkLocalIp(address) ? 'link-local' : isContainerBridge(iface) ? 'docker-bridge' : 'usable';
      out.push({ address, iface, kind });
    }
  }
  const rank = (a: HostAddress) => (a.kind === 'usable' ? 0 : 1) * 10 + (ipVersion(a.address) === 4 ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b));
}

export const usableAddresses = (d: HostDetection): string[] => d.addresses.filter((a) => a.kind === 'usable').map((a) => a.address);

const KIND_TEXT: Record<Exclude<AddressKind, 'usable'>, string> = {
  loopback: 'loopback: only this machine reaches it',
  'docker-bridge': 'Docker bridge: only containers on this host reach it',
  'link-local': 'link-local: needs a zone id and changes per boot',
};

/** Lines for the person choosing: the addresses offered, and the ones left out with why. */
export function describeAddresses(d: HostDetection): string[] {
  const usable = d.addresses.filter((a) => a.kind === 'usable');
  const others = d.addresses.filter((a) => a.kind !== 'usable');
  const lines = [`This host: ${d.fqdn ?? d.shortName}${d.fqdn ? '' : ' (no dotted FQDN from `hostname -f`)'}`];
  lines.push(usable.length ? `  addresses clients can use: ${usable.map((a) => `${a.address} (${a.iface})`).join(', ')}` : '  no address other machines can reach was found');
  for (const a of others) lines.push(`  not offered: ${a.address} (${a.iface}, ${KIND_TEXT[a.kind as Exclude<AddressKind, 'usable'>]})`);
  return lines;
}

/** Why a typed hostname is one of this host's unusable addresses, or undefined. */
export function unusableAddressReason(d: HostDetection, host: string): string | undefined {
  const ip = ipVersion(host) ? normalizeIp(host) : undefined;
  if (!ip) return undefined;
  const known = d.addresses.find((a) => a.address === ip);
  if (known && known.kind !== 'usable') return `${ip} is on ${known.iface} (${KIND_TEXT[known.kind as Exclude<AddressKind, 'usable'>]})`;
  if (isLinkLocalIp(ip)) return `${ip} is a link-local address (${KIND_TEXT['link-local']})`;
  return undefined;
}

/** The hostname proposed: the FQDN, else the first usable address, else the short name. */
export function proposedHostname(d: HostDetection): string {
  return d.fqdn ?? usableAddresses(d)[0] ?? d.shortName;
}

/** '45 GiB free at /srv' for the directory (or its nearest existing parent), or undefined when unreadable. */
export async function freeSpaceText(p: string): Promise<string | undefined> {
  try {
    const at = await existingAncestor(p);
    const st = await statfs(at);
    return `${formatBytes(Number(st.bavail) * Number(st.bsize))} free at ${at}`;
  } catch {
    return undefined;
  }
}
