/**
 * The localhost check with a stub context: the hosts file is read under ctx.hostRoot (a temp
 * root here); without a localhost line it falls back to this host's real resolver.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import path from 'node:path';
import { localhostCheck, localhostEntries } from '../../../src/doctor/checks/localhost.js';
import { stubContext, useScratch } from './stub-context.js';

describe('doctor check: localhost', () => {
  const scratch = useScratch();
  const rootWithHosts = async (hosts: string | undefined) => {
    const root = await scratch.tempDir();
    await mkdir(path.join(root, 'etc'));
    if (hosts !== undefined) await writeFile(path.join(root, 'etc', 'hosts'), hosts);
    return { root, file: path.join(root, 'etc', 'hosts') };
  };
  const fixFor = (file: string) => `add the line '127.0.0.1 localhost' to ${file} (the syslog driver connects to localhost:1514)`;

  it('passes when the hosts file maps localhost to 127.0.0.1, listing every address in file order', async () => {
    const { root, file } = await rootWithHosts('# static table\n::1\tlocalhost ip6-localhost\n127.0.0.1   localhost  # ipv4\n10.1.2.3 reg.example.com\n');
    expect(await localhostCheck.run(stubContext({ hostRoot: root }))).toEqual([
      { check: 'localhost resolution', status: 'pass', detail: `localhost resolves to ::1, 127.0.0.1 (${file})`, fix: '' },
    ]);
  });

  it('fails when the hosts file maps localhost only to ::1 (a commented 127.0.0.1 line does not count)', async () => {
    const { root, file } = await rootWithHosts('#127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n127.0.1.1 myhost\n');
    expect(await localhostCheck.run(stubContext({ hostRoot: root }))).toEqual([
      { check: 'localhost resolution', status: 'fail', detail: `${file} maps localhost only to ::1, not 127.0.0.1`, fix: fixFor(file) },
    ]);
  });

  it('a name that merely contains "localhost" is not localhost', async () => {
    const { root, file } = await rootWithHosts('127.0.0.1 localhost.localdomain\n::1 localhost\n');
    const [r] = await localhostCheck.run(stubContext({ hostRoot: root }));
    expect(r).toMatchObject({ status: 'fail', detail: `${file} maps localhost only to ::1, not 127.0.0.1` });
  });

  for (const [what, hosts] of [
    ['has no localhost line', '10.0.0.1 other\n'],
    ['is missing', undefined],
  ] as const) {
    it(`asks this host's resolver when the hosts file ${what}`, async () => {
      const { root, file } = await rootWithHosts(hosts);
      const addrs = (await lookup('localhost', { all: true })).map((a) => a.address);
      const results = await localhostCheck.run(stubContext({ hostRoot: root }));
      if (addrs.includes('127.0.0.1')) {
        expect(results).toEqual([{ check: 'localhost resolution', status: 'warn', detail: `localhost is not in ${file}; the resolver gives ${addrs.join(', ')}`, fix: fixFor(file) }]);
      } else {
        expect(results).toEqual([{ check: 'localhost resolution', status: 'fail', detail: `localhost does not resolve to 127.0.0.1${addrs.length ? ` (got ${addrs.join(', ')})` : ''}`, fix: fixFor(file) }]);
      }
    });
  }

  it('reads the real /etc/hosts without a hostRoot', async () => {
    const entries = localhostEntries(await readFile('/etc/hosts', 'utf8').catch(() => ''));
    const [r] = await localhostCheck.run(stubContext());
    if (entries.includes('127.0.0.1')) expect(r).toEqual({ check: 'localhost resolution', status: 'pass', detail: `localhost resolves to ${entries.join(', ')} (/etc/hosts)`, fix: '' });
    else expect(r!.fix).toBe(fixFor('/etc/hosts'));
  });
});
