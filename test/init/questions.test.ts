/**
 * The wizard's questions, driven in memory: defaults from detection, each answer refused by the
 * same validation prepare applies (and asked again), the http warning, the certificate choices,
 * typed passwords, proxy URLs, Notary only on a line that has it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQuestions } from '../../src/init/questions.js';
import { defaultRelease, releases } from '../../src/releases/index.js';
import { scriptedPrompter, tempDir, testDetection, testEnv } from './helpers.js';

function selfSigned(dir: string, name: string, san: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-addext', 'extendedKeyUsage=serverAuth', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe('regctl init questions', () => {
  it('accepting every default proposes the FQDN, https 443 + 80, a generated certificate for the hostname and the usable addresses', async () => {
    const p = scriptedPrompter();
    const m = await runQuestions(testEnv(p));
    expect(m).toMatchObject({ hostname: 'reg.test.example', protocol: 'https', httpsPort: 443, httpPort: 80, dataVolume: '/data', logLocation: '/var/log/harbor', trivy: true, notary: false });
    expect(m.cert).toEqual({ kind: 'generate', certDir: '/etc/harbor/certs', sans: ['reg.test.example', '192.0.2.10', '2001:db8::10'] });
    expect(m.adminPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(m.databasePassword).not.toBe(m.adminPassword);
    expect(p.asked.slice(0, 4)).toEqual(['hostname', 'protocol', 'https-port', 'http-port']);
    expect(p.asked).not.toContain('notary'); // 2.15 has no Notary
    // the addresses are listed, the unusable ones named with why and not offered
    const listing = p.said.join('\n');
    expect(listing).toContain('192.0.2.10 (eth0)');
    expect(listing).toMatch(/not offered: 127\.0\.0\.1 \(lo, loopback/);
    expect(listing).toMatch(/not offered: 172\.17\.0\.1 \(docker0, Docker bridge/);
    expect(listing).toMatch(/not offered: fe80::1 \(eth0, link-local/);
  });

  it('refuses loopback, placeholder, docker-bridge and schemed hostnames with the loader\'s messages, then takes a good one (the SANs follow it)', async () => {
    const p = scriptedPrompter({ hostname: ['localhost', '127.0.0.1', 'reg.mydomain.com', '172.17.0.1', 'https://x.example', 'harbor.corp.example'] });
    const m = await runQuestions(testEnv(p));
    expect(p.rejected.map((r) => r.value)).toEqual(['localhost', '127.0.0.1', 'reg.mydomain.com', '172.17.0.1', 'https://x.example']);
    expect(p.rejected[0]!.message).toContain('loopback name');
    expect(p.rejected[2]!.message).toContain('template placeholder');
    expect(p.rejected[3]!.message).toContain('Docker bridge');
    expect(p.rejected[4]!.message).toContain('must not contain a scheme');
    expect(m.hostname).toBe('harbor.corp.example');
    expect(m.cert).toMatchObject({ sans: ['harbor.corp.example', '192.0.2.10', '2001:db8::10'] });
  });

  it('without an FQDN the first address is proposed; a typed name keeps that address in the SANs', async () => {
    const p = scriptedPrompter({ hostname: ['harbor.corp.example'] });
    const env = testEnv(p, { detection: { ...testDetection, fqdn: undefined } });
    const m = await runQuestions(env);
    expect(m.cert).toMatchObject({ sans: ['harbor.corp.example', '192.0.2.10', '2001:db8::10'] });
    const q = scriptedPrompter();
    expect(await runQuestions(testEnv(q, { detection: { ...testDetection, fqdn: undefined } }))).toMatchObject({ hostname: '192.0.2.10', cert: { sans: ['192.0.2.10', '2001:db8::10'] } });
  });

  it('ports: out of range and clashing ports are refused; a port in use is named and kept only when confirmed', async () => {
    const inUse = new Set([8443]);
    const p = scriptedPrompter({ 'https-port': ['70000', 'x', '8443', '8444'], 'https-port-in-use': [false], 'http-port': ['8444', '8080'] });
    const m = await runQuestions(testEnv(p, { checkPort: async (port) => ({ free: !inUse.has(port), detail: `${port} is in use by nginx (pid 42)`, fix: 'stop it' }) }));
    expect(m.httpsPort).toBe(8444);
    expect(m.httpPort).toBe(8080);
    expect(p.rejected.map((r) => [r.id, r.value])).toEqual([['https-port', '70000'], ['https-port', 'x'], ['http-port', '8444']]);
    expect(p.rejected[0]!.message).toContain('out of range');
    expect(p.rejected[2]!.message).toMatch(/already uses/);
    expect(p.said).toContain('! port 8443: 8443 is in use by nginx (pid 42)');
  });

  it('http only after the insecure-registries warning is confirmed; declining keeps https', async () => {
    const declined = scriptedPrompter({ protocol: ['http'], 'http-insecure': [false] });
    expect((await runQuestions(testEnv(declined))).protocol).toBe('https');
    expect(declined.said.join('\n')).toContain('insecure-registries');
    const p = scriptedPrompter({ protocol: ['http'], 'http-insecure': [true] });
    const m = await runQuestions(testEnv(p));
    expect(m).toMatchObject({ protocol: 'http', cert: undefined });
    expect(p.asked).not.toContain('https-port');
    expect(p.asked).not.toContain('certificate');
  });

  it('the SANs are shown and editable, and must include the hostname', async () => {
    const p = scriptedPrompter({ sans: ['192.0.2.10', 'reg.test.example, not a name!', 'reg.test.example, registry.test.example, 192.0.2.10'] });
    const m = await runQuestions(testEnv(p));
    expect(p.rejected).toHaveLength(2);
    expect(p.rejected[0]!.message).toContain('must include the hostname');
    expect(m.cert).toMatchObject({ kind: 'generate', sans: ['reg.test.example', 'registry.test.example', '192.0.2.10'] });
  });

  it('existing certificate files are linted with the cert check linter and asked again until they cover the hostname', async () => {
    const dir = tempDir();
    const wrong = selfSigned(dir, 'wrong', 'DNS:other.example');
    const right = selfSigned(dir, 'right', 'DNS:reg.test.example');
    const p = scriptedPrompter({ certificate: ['existing'], 'cert-file': [path.join(dir, 'missing.crt'), wrong.cert, right.cert], 'key-file': [wrong.key, right.key], 'ca-file': ['', ''] });
    const m = await runQuestions(testEnv(p, { root: undefined }));
    expect(p.rejected[0]).toMatchObject({ id: 'cert-file', value: path.join(dir, 'missing.crt') });
    expect(p.said).toContainEqual(expect.stringMatching(/^! clients using reg\.test\.example will fail: no DNS SAN matches/));
    expect(p.said).toContain('  choose the files again');
    expect(m.cert).toEqual({ kind: 'existing', certificate: right.cert, privateKey: right.key, ca: undefined });
    expect(p.asked).not.toContain('sans');
  });

  it('typed passwords are checked for strength and typed twice', async () => {
    const p = scriptedPrompter({
      'admin-password': ['type'],
      'admin-password-typed': ['short1A', 'alllowercase12345', 'Harbor12345', 'Str0ngEnoughPassw0rd'],
      'admin-password-repeat': ['Str0ngEnoughPassw0rd-typo', 'Str0ngEnoughPassw0rd'],
    });
    const m = await runQuestions(testEnv(p));
    expect(m.adminPassword).toBe('Str0ngEnoughPassw0rd');
    expect(m.generatedPasswords).toEqual({ admin: false, database: true });
    expect(p.rejected.map((r) => r.message)).toEqual([
      expect.stringContaining('at least 12'),
      expect.stringContaining('upper-case'),
      expect.stringContaining('at least 12'),
      expect.stringContaining('differ'),
    ]);
  });

  it('data_volume and the log directory go through the loader\'s path checks; the free space is shown', async () => {
    const p = scriptedPrompter({ 'data-volume': ['data', '/srv/harbor'], 'log-location': ['logs', '/srv/log'] });
    const m = await runQuestions(testEnv(p));
    expect(m).toMatchObject({ dataVolume: '/srv/harbor', logLocation: '/srv/log' });
    expect(p.rejected.map((r) => r.message)).toEqual([expect.stringContaining('must be an absolute path'), expect.stringContaining('must be an absolute path')]);
  });

  it('proxy URLs are validated', async () => {
    const p = scriptedPrompter({ 'use-proxy': [true], 'http-proxy': ['proxy:3128', 'ftp://p:21', 'http://proxy.example:3128'], 'no-proxy': ['.corp.example, 10.0.0.0/8'] });
    const m = await runQuestions(testEnv(p));
    expect(p.rejected.map((r) => r.value)).toEqual(['proxy:3128', 'ftp://p:21']);
    expect(m.proxy).toEqual({ httpProxy: 'http://proxy.example:3128', httpsProxy: 'http://proxy.example:3128', noProxy: '.corp.example,10.0.0.0/8' });
  });

  it('an external database is tested for a connection; an unreachable one is kept only when confirmed', async () => {
    const tried: string[] = [];
    const p = scriptedPrompter({
      'external-database': [true],
      'db-host': ['db1.example', 'db2.example'],
      'db-password': ['secret-db-pass'],
      'external-db-unreachable': [false],
    });
    p.password = async (q) => (q.id === 'db-password' ? 'secret-db-pass' : 'x');
    const m = await runQuestions(testEnv(p, { testConnection: async (h, port) => (tried.push(`${h}:${port}`), h === 'db1.example' ? 'ECONNREFUSED' : undefined) }));
    expect(tried).toEqual(['db1.example:5432', 'db2.example:5432']);
    expect(m.externalDatabase).toEqual({ host: 'db2.example', port: 5432, dbName: 'registry', username: 'postgres', password: 'secret-db-pass', sslMode: 'disable' });
  });

  it('Notary is offered only on a line that has it (and only with https)', async () => {
    const withNotary = { ...defaultRelease, capabilities: { notary: true } };
    const p = scriptedPrompter({ notary: [true] });
    expect((await runQuestions(testEnv(p, { release: withNotary }))).notary).toBe(true);
    for (const r of releases) {
      const q = scriptedPrompter();
      await runQuestions(testEnv(q, { release: r }));
      expect(q.asked.includes('notary')).toBe(r.capabilities.notary);
    }
  });
});
