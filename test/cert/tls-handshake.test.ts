/**
 * A real TLS handshake with a regctl-issued certificate: openssl s_server serves it on loopback,
 * openssl s_client and curl verify it against the regctl CA, by IP and by name.
 */
import { execa, ResultPromise } from 'execa';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, writeCa } from '../../src/cert/ca.js';
import { parseSans } from '../../src/cert/san.js';
import { issueToFiles } from '../../src/cert/server-cert.js';
import type { KeyType } from '../../src/cert/key-types.js';
import { freePort, waitForPort } from './helpers/net.js';
import { tempDir } from '../helpers/tmp.js';

describe.each<KeyType>(['rsa-2048', 'ecdsa-p256'])('TLS handshake with a %s leaf', (keyType) => {
  let dir: string;
  let port: number;
  let server: ResultPromise;
  let caFile: string;

  beforeAll(async () => {
    dir = await tempDir('regctl-tls');
    const ca = await createCa({ commonName: 'regctl CA for tls-test', keyType });
    caFile = (await writeCa(path.join(dir, 'ca'), ca)).certPath;
    await issueToFiles({ ca, sans: parseSans(['127.0.0.1', 'reg.example.com']), certPath: path.join(dir, 'server.crt'), keyPath: path.join(dir, 'server.key'), keyType });
    port = await freePort();
    server = execa('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', path.join(dir, 'server.crt'), '-key', path.join(dir, 'server.key'), '-www', '-quiet'], { reject: false, stdin: 'ignore' });
    await waitForPort(port);
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await server;
  });

  const sClient = (args: string[]) =>
    execa('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', caFile, '-verify_return_error', ...args], { input: '', reject: false, timeout: 20_000 });

  it('openssl s_client verifies the chain and the IP address', async () => {
    const r = await sClient(['-verify_ip', '127.0.0.1']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Verify return code: 0 (ok)');
  });

  it('openssl s_client verifies the host name', async () => {
    const r = await sClient(['-verify_hostname', 'reg.example.com', '-servername', 'reg.example.com']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Verify return code: 0 (ok)');
  });

  it('fails for an address and a name the certificate does not cover', async () => {
    const ip = await sClient(['-verify_ip', '127.0.0.2']);
    expect(ip.exitCode).not.toBe(0);
    expect(ip.stdout + ip.stderr).toMatch(/IP address mismatch/);
    const name = await sClient(['-verify_hostname', 'other.example.com']);
    expect(name.exitCode).not.toBe(0);
    expect(name.stdout + name.stderr).toMatch(/hostname mismatch/);
  });

  it('curl --cacert accepts it by IP and by name, and rejects it without the CA', async () => {
    const byIp = await execa('curl', ['-sS', '--max-time', '10', '--cacert', caFile, `https://127.0.0.1:${port}/`], { reject: false });
    expect(byIp.exitCode, byIp.stderr).toBe(0);
    expect(byIp.stdout).toMatch(/s_server|Ciphers/);
    const byName = await execa('curl', ['-sS', '--max-time', '10', '--cacert', caFile, '--resolve', `reg.example.com:${port}:127.0.0.1`, `https://reg.example.com:${port}/`], { reject: false });
    expect(byName.exitCode, byName.stderr).toBe(0);
    const untrusted = await execa('curl', ['-sS', '--max-time', '10', `https://127.0.0.1:${port}/`], { reject: false });
    expect(untrusted.exitCode).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
  });
});
