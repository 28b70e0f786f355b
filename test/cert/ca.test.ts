import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCa, loadCa, writeCa } from '../../src/cert/ca.js';
import { RegctlError } from '../../src/errors.js';
import { extensionText, mustOpenssl, openssl, publicKeyDigests, x509Text } from './helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';

const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;

describe('regctl CA', () => {
  it.each(['rsa-4096', 'rsa-2048', 'ecdsa-p256'] as const)('%s: openssl reads CA:TRUE pathlen 0, keyCertSign, key ids, 10 years, modes 0644/0600', async (keyType) => {
    const dir = path.join(await tempDir(), 'ca');
    const ca = await createCa({ commonName: 'regctl CA for harbor01', keyType });
    const { certPath, keyPath } = await writeCa(dir, ca);

    const text = await x509Text(certPath);
    expect(extensionText(text, 'Basic Constraints')).toBe('critical CA:TRUE, pathlen:0');
    expect(extensionText(text, 'Key Usage')).toBe('critical Certificate Sign, CRL Sign');
    const ski = extensionText(text, 'Subject Key Identifier');
    expect(ski).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(extensionText(text, 'Authority Key Identifier')).toContain(ski!);
    expect(text).toMatch(/Subject: O = regctl, OU = ca [0-9a-f]{8}, CN = regctl CA for harbor01/);
    expect(text).toContain(keyType === 'ecdsa-p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');
    expect(text).toContain(keyType === 'ecdsa-p256' ? 'NIST CURVE: P-256' : `Public-Key: (${keyType.slice(4)} bit)`);
    // self-signed and valid for openssl as a trust anchor
    expect((await openssl(['verify', '-CAfile', certPath, certPath])).stdout).toContain(': OK');
    const days = (ca.cert.notAfter.getTime() - ca.cert.notBefore.getTime()) / 86_400_000;
    expect(days).toBe(3650);

    const keys = await publicKeyDigests(certPath, keyPath);
    expect(keys.key).toBe(keys.cert);
    expect(await mode(keyPath)).toBe(0o600);
    expect(await mode(certPath)).toBe(0o644);
    expect(await mode(dir)).toBe(0o700);
    expect(await fs.readFile(certPath, 'utf8')).not.toContain('PRIVATE KEY');
  });

  it('refuses to replace an existing CA without force and leaves it byte for byte', async () => {
    const dir = await tempDir();
    await writeCa(dir, await createCa({ commonName: 'regctl CA for a', keyType: 'ecdsa-p256' }));
    const before = await fs.readFile(path.join(dir, 'ca.key'));
    const err = await writeCa(dir, await createCa({ commonName: 'regctl CA for b', keyType: 'ecdsa-p256' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegctlError);
    expect((err as RegctlError).code).toBe('E_CA_EXISTS');
    expect((err as RegctlError).fix).toMatch(/--force/);
    expect(await fs.readFile(path.join(dir, 'ca.key'))).toEqual(before);
    expect((await fs.readdir(dir)).sort()).toEqual(['ca.crt', 'ca.key']);
  });

  it('with force keeps the old CA as timestamped backups with their modes', async () => {
    const dir = await tempDir();
    await writeCa(dir, await createCa({ commonName: 'regctl CA for a', keyType: 'ecdsa-p256' }));
    const oldKey = await fs.readFile(path.join(dir, 'ca.key'), 'utf8');
    const now = new Date('2026-03-04T05:06:07Z');
    const r = await writeCa(dir, await createCa({ commonName: 'regctl CA for b', keyType: 'ecdsa-p256' }), { force: true, now });
    expect(r.backups.map((b) => path.basename(b)).sort()).toEqual(['ca.crt.bak-20260304T050607Z', 'ca.key.bak-20260304T050607Z']);
    expect(await fs.readFile(path.join(dir, 'ca.key.bak-20260304T050607Z'), 'utf8')).toBe(oldKey);
    expect(await mode(path.join(dir, 'ca.key.bak-20260304T050607Z'))).toBe(0o600);
    expect(await fs.readFile(path.join(dir, 'ca.key'), 'utf8')).not.toBe(oldKey);
  });

  it('loadCa accepts a CA made by openssl and rejects broken CA directories with a code and a fix', async () => {
    const dir = await tempDir();
    await mustOpenssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'ca.key'), '-out', path.join(dir, 'ca.crt'), '-days', '30', '-subj', '/CN=Ops Root', '-addext', 'basicConstraints=critical,CA:TRUE']);
    expect((await loadCa(dir)).cert.subjectCn).toBe('Ops Root');

    const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: RegctlError) => e.code);
    expect(await codeOf(loadCa(path.join(dir, 'missing')))).toBe('E_CA_NOT_FOUND');
    expect(await codeOf(loadCa(path.join(dir, 'ca.crt')))).toBe('E_CA_NOT_DIR');

    const other = await tempDir();
    await mustOpenssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(other, 'ca.key')]);
    await fs.copyFile(path.join(dir, 'ca.crt'), path.join(other, 'ca.crt'));
    expect(await codeOf(loadCa(other))).toBe('E_CA_KEY_MISMATCH');

    const leafOnly = await tempDir();
    await mustOpenssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(leafOnly, 'ca.key'), '-out', path.join(leafOnly, 'ca.crt'), '-days', '30', '-subj', '/CN=not a ca', '-addext', 'basicConstraints=critical,CA:FALSE']);
    expect(await codeOf(loadCa(leafOnly))).toBe('E_CA_NOT_CA');

    const encrypted = await tempDir();
    await fs.copyFile(path.join(dir, 'ca.crt'), path.join(encrypted, 'ca.crt'));
    await mustOpenssl(['pkey', '-in', path.join(dir, 'ca.key'), '-aes256', '-passout', 'pass:secret', '-out', path.join(encrypted, 'ca.key')]);
    expect(await codeOf(loadCa(encrypted))).toBe('E_CA_KEY_ENCRYPTED');
  });
});
