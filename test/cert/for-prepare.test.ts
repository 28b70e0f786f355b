import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureServerCertificate } from '../../src/cert/for-prepare.js';
import { extensionText, publicKeyDigests, verify, x509Text } from './helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';


describe('ensureServerCertificate (prepare --generate-certs)', () => {
  it('makes a CA and a leaf on the first run, reuses the CA later, and never replaces an existing leaf', async () => {
    const d = await tempDir();
    const caDir = path.join(d, 'data', 'secret', 'ca');
    const certPath = path.join(d, 'cert', 'server.crt');
    const keyPath = path.join(d, 'cert', 'server.key');
    const sans = ['reg.example.com', '192.168.120.85'];

    const first = await ensureServerCertificate({ caDir, certPath, keyPath, sans });
    expect(first).toEqual({ createdCa: true, createdLeaf: true, caCertPath: path.join(caDir, 'ca.crt') });
    expect(await verify(first.caCertPath, certPath)).toMatchObject({ ok: true });
    expect(extensionText(await x509Text(certPath), 'Subject Alternative Name')).toBe('DNS:reg.example.com, IP Address:192.168.120.85');
    expect(await x509Text(first.caCertPath)).toContain('CN = regctl CA for reg.example.com');
    const keys = await publicKeyDigests(certPath, keyPath);
    expect(keys.key).toBe(keys.cert);
    expect((await fs.stat(keyPath)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(caDir, 'ca.key'))).mode & 0o777).toBe(0o600);

    const leafBefore = await fs.readFile(certPath, 'utf8');
    const caBefore = await fs.readFile(first.caCertPath, 'utf8');
    expect(await ensureServerCertificate({ caDir, certPath, keyPath, sans: ['other.example.com'] })).toEqual({ createdCa: false, createdLeaf: false, caCertPath: first.caCertPath });
    expect(await fs.readFile(certPath, 'utf8')).toBe(leafBefore);

    // the leaf removed (e.g. hostname changed): a new one from the same CA
    await fs.rm(certPath);
    await fs.rm(keyPath);
    const third = await ensureServerCertificate({ caDir, certPath, keyPath, sans: ['new.example.com'] });
    expect(third).toMatchObject({ createdCa: false, createdLeaf: true });
    expect(await fs.readFile(first.caCertPath, 'utf8')).toBe(caBefore);
    expect(await verify(first.caCertPath, certPath)).toMatchObject({ ok: true });
    expect(extensionText(await x509Text(certPath), 'Subject Alternative Name')).toBe('DNS:new.example.com');
  });

  it('refuses to complete half a pair or half a CA, writing nothing', async () => {
    const d = await tempDir();
    await fs.writeFile(path.join(d, 'server.crt'), 'mine\n');
    await expect(ensureServerCertificate({ caDir: path.join(d, 'ca'), certPath: path.join(d, 'server.crt'), keyPath: path.join(d, 'server.key'), sans: ['a.example.com'] })).rejects.toMatchObject({
      code: 'E_CERT_PAIR_INCOMPLETE',
    });
    expect(await fs.readdir(d)).toEqual(['server.crt']);

    const e = await tempDir();
    await fs.mkdir(path.join(e, 'ca'));
    await fs.writeFile(path.join(e, 'ca', 'ca.crt'), 'only the cert\n');
    await expect(ensureServerCertificate({ caDir: path.join(e, 'ca'), certPath: path.join(e, 's.crt'), keyPath: path.join(e, 's.key'), sans: ['a.example.com'] })).rejects.toMatchObject({
      code: 'E_CA_INCOMPLETE',
    });
    expect((await fs.readdir(e)).sort()).toEqual(['ca']);

    const f = await tempDir();
    await expect(ensureServerCertificate({ caDir: path.join(f, 'ca'), certPath: path.join(f, 's.crt'), keyPath: path.join(f, 's.key'), sans: ['reg_01.example.com'] })).rejects.toMatchObject({
      code: 'E_CERT_SAN_INVALID',
      message: expect.stringMatching(/^server certificate name 'reg_01.example.com': not a valid DNS name/),
    });
    expect(await fs.readdir(f)).toEqual([]);
  });
});
