/**
 * The syslog logging driver dials `localhost:1514` (Harbor's compose file says so); dockerd
 * resolves that name through /etc/hosts. Where `localhost` maps only to ::1, every container fails
 * to start with "dial tcp [::1]:1514: connect: connection refused", since harbor-log is published
 * on 127.0.0.1 only.
 */
import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { underRoot } from '../../util/root.js';
import { pass, warn, fail, type DoctorCheck } from '../types.js';

/** Addresses /etc/hosts gives `localhost`, in file order. */
export function localhostEntries(hosts: string): string[] {
  const out: string[] = [];
  for (const raw of hosts.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    if (addr && names.includes('localhost')) out.push(addr);
  }
  return out;
}

export const localhostCheck: DoctorCheck = {
  name: 'localhost',
  async run({ hostRoot }) {
    const check = 'localhost resolution';
    const file = underRoot(hostRoot, '/etc/hosts');
    const hosts = await readFile(file, 'utf8').catch(() => '');
    const entries = localhostEntries(hosts);
    if (entries.includes('127.0.0.1')) return [pass(check, `localhost resolves to ${entries.join(', ')} (${file})`)];
    const fix = `add the line '127.0.0.1 localhost' to ${file} (the syslog driver connects to localhost:1514)`;
    if (entries.length) return [fail(check, `${file} maps localhost only to ${entries.join(', ')}, not 127.0.0.1`, fix)];
    const resolved = await lookup('localhost', { all: true }).catch(() => []);
    const addrs = resolved.map((a) => a.address);
    if (addrs.includes('127.0.0.1')) return [warn(check, `localhost is not in ${file}; the resolver gives ${addrs.join(', ')}`, fix)];
    return [fail(check, `localhost does not resolve to 127.0.0.1${addrs.length ? ` (got ${addrs.join(', ')})` : ''}`, fix)];
  },
};
