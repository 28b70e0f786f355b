import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { regctlInProcess } from '../helpers/cli.js';
import { snapshot, changedPaths } from '../helpers/tree.js';
import { makeWorkspace, type Workspace } from '../helpers/workspace.js';
import { seedTokenKeyPair } from '../helpers/token-pair.js';

let ws: Workspace;
afterEach(() => ws.cleanup());

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('regctl prepare --generate-certs', () => {
  it('makes a CA and a server certificate that verifies and covers the hostname, publishes the CA, and reuses both later', async () => {
    ws = makeWorkspace({ hostname: 'reg.example.com', 'https.certificate': 'gen/server.crt', 'https.private_key': 'gen/server.key' });
    await seedTokenKeyPair(ws.dataDir); // certificates are the subject here, not the token pair
    const args = ['prepare', '--config', ws.configPath, '--install-dir', ws.installDir];
    const without = await regctlInProcess(args);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/--generate-certs/);

    const r = await regctlInProcess([...args, '--generate-certs']);
    expect(r.code, r.stderr).toBe(0);
    const cert = path.join(ws.dir, 'gen/server.crt');
    const key = path.join(ws.dir, 'gen/server.key');
    const ca = path.join(ws.dataDir, 'secret/ca/ca.crt');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(openssl('verify', '-CAfile', ca, cert)).toMatch(/OK/);
    const text = openssl('x509', '-in', cert, '-noout', '-text');
    expect(text).toMatch(/DNS:reg\.example\.com/);
    expect(text).toMatch(/TLS Web Server Authentication/);
    // the pair that nginx will serve is the one just made, and the portal offers the CA
    expect(readFileSync(path.join(ws.dataDir, 'secret/cert/server.crt'), 'utf8')).toBe(readFileSync(cert, 'utf8'));
    expect(readFileSync(path.join(ws.dataDir, 'ca_download/ca.crt'), 'utf8')).toBe(readFileSync(ca, 'utf8'));
    expect(readFileSync(ca, 'utf8')).not.toMatch(/PRIVATE KEY/);

    const before = new Map([...snapshot(ws.dataDir), ...snapshot(path.join(ws.dir, 'gen'))]);
    const again = await regctlInProcess([...args, '--generate-certs']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/nothing to change/);
    expect(changedPaths(before, new Map([...snapshot(ws.dataDir), ...snapshot(path.join(ws.dir, 'gen'))]))).toEqual([]);
  });

  it('never replaces a certificate the user brought, and --ca publishes the given CA', async () => {
    ws = makeWorkspace();
    await seedTokenKeyPair(ws.dataDir); // certificates are the subject here, not the token pair
    const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, '--generate-certs', '--ca', path.join(ws.certDir, 'ca.crt')]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(ws.dataDir, 'secret/ca'))).toBe(false);
    expect(readFileSync(path.join(ws.dataDir, 'secret/cert/server.crt'), 'utf8')).toBe(readFileSync(path.join(ws.certDir, 'registry.crt'), 'utf8'));
    expect(readFileSync(path.join(ws.dataDir, 'ca_download/ca.crt'), 'utf8')).toBe(readFileSync(path.join(ws.certDir, 'ca.crt'), 'utf8'));
  });

  it('refuses to complete half a pair', async () => {
    ws = makeWorkspace({ 'https.private_key': 'gen/missing.key' }); // not seeded: it checks data_volume stays absent
    const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--install-dir', ws.installDir, '--generate-certs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E_CERT_PAIR_INCOMPLETE/);
    expect(existsSync(ws.dataDir)).toBe(false);
  });
});
