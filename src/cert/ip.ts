/** IP address helpers shared by SAN building, SAN matching and the linter. */
import { isIP } from 'node:net';

/** `[::1]` → `::1`; everything else unchanged. */
export function stripBrackets(value: string): string {
  return value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
}

/** 4 or 6 for an IP literal (brackets allowed), 0 otherwise. Zone ids (fe80::1%eth0) are not IPs here. */
export function ipVersion(value: string): 0 | 4 | 6 {
  const v = stripBrackets(value);
  // Node's isIP accepts zone ids (fe80::1%eth0); no certificate or URL can hold one
  return v.includes('%') ? 0 : (isIP(v) as 0 | 4 | 6);
}

/** Canonical text of an IP: IPv4 as is, IPv6 compressed and lower-case (so `0:0::1` equals `::1`). */
export function normalizeIp(value: string): string {
  const ip = stripBrackets(value);
  if (isIP(ip) === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return ip;
}

/** Bytes of an IP SAN (4 or 16 of them) as canonical text; undefined for any other length. */
export function ipFromBytes(bytes: Buffer): string | undefined {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
    return normalizeIp(groups.join(':'));
  }
  return undefined;
}

export function isLoopbackIp(value: string): boolean {
  const ip = normalizeIp(value);
  if (isIP(ip) === 4) return ip.startsWith('127.');
  return ip === '::1';
}

/** Link-local addresses carry a zone and change per boot; they make no sense in a certificate. */
export function isLinkLocalIp(value: string): boolean {
  const ip = normalizeIp(value);
  if (isIP(ip) === 4) return ip.startsWith('169.254.');
  return /^fe[89ab][0-9a-f]:/i.test(ip);
}
