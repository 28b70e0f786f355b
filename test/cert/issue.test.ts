import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaMaterial, createCa, loadCa, writeCa } from '../../src/cert/ca.js';
import { issueLeaf } from '../../src/cert/leaf.js';
import { parseSans } from '../../src/cert/san.js';
import { issueToFiles, renewFiles } from '../../src/cert/server-cert.js';
import { parseDays } from '../../src/cert/validity.js';
import { RegctlError } from '../../src/errors.js';
import { dates, extensionText, mustOpenssl, publicKeyDigests, verify, x509Text } from './helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = 86_400_000;

describe('regctl cert issue: the seed\'s case, RSA-4096', () => {
  let dir: string;
  beforeAll(async () => {
    // made in beforeAll: it lives for the whole file
    dir = await tempDir('regctl-cert-issue');
    await writeCa(path.join(dir, 'ca'), await createCa({ commonName: 'regctl CA for harbor01' }));
  });

  it('verifies against the CA with openssl and has every property Docker and Apple need', async () => {
    const ca = await loadCa(path.join(dir, 'ca'));
    const certPath = path.join(dir, 'server.crt');
    const keyPath = path.join(dir, 'server.key');
    const start = Date.now();
    await issueToFiles({ ca, sans: parseSans(['192.168.120.85', 'reg.example.com']), certPath, keyPath });

    expect(await verify(path.join(dir, 'ca', 'ca.crt'), certPath)).toMatchObject({ ok: true });
    const text = await x509Text(certPath);
    expect(extensionText(text, 'Subject Alternative Name')).toBe('IP Address:192.168.120.85, DNS:reg.example.com');
    expect(extensionText(text, 'Extended Key Usage')).toBe('TLS Web Server Authentication');
    expect(extensionText(text, 'Key Usage')).toBe('critical Digital Signature, Key Encipherment');
    expect(extensionText(text, 'Basic Constraints')).toBe('critical CA:FALSE');
    expect(extensionText(text, 'Authority Key Identifier')).toContain(extensionText(await x509Text(path.join(dir, 'ca', 'ca.crt')), 'Subject Key Identifier')!);
    expect(text).toContain('Public-Key: (4096 bit)');
    expect(text).toContain('Subject: CN = 192.168.120.85');
    expect(text).toMatch(/Issuer: O = regctl, OU = ca [0-9a-f]+, CN = regctl CA for harbor01/);

    // modulus of the certificate and of the key are the same
    const certModulus = await mustOpenssl(['x509', '-in', certPath, '-noout', '-modulus']);
    const keyModulus = await mustOpenssl(['rsa', '-in', keyPath, '-noout', '-modulus']);
    expect(certModulus).toMatch(/^Modulus=[0-9A-F]{1024}$/);
    expect(keyModulus).toBe(certModulus);

    const { notBefore, notAfter } = await dates(certPath);
    expect(notAfter.getTime() - notBefore.getTime()).toBe(397 * DAY);
    expect(notAfter.getTime()).toBeLessThanOrEqual(start + 397 * DAY);
    expect(notBefore.getTime()).toBeLessThanOrEqual(start);

    expect((await fs.stat(keyPath)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(certPath)).mode & 0o777).toBe(0o644);
    expect(await fs.readFile(certPath, 'utf8')).not.toContain('PRIVATE KEY');
  });
});

describe('leaf certificates', () => {
  let ca: CaMaterial;
  beforeAll(async () => {
    ca = await createCa({ commonName: 'regctl CA for test', keyType: 'ecdsa-p256' });
  });

  async function writeOut(d: string, leaf: { certPem: string; keyPem: string }) {
    await fs.writeFile(path.join(d, 'ca.crt'), ca.certPem);
    await fs.writeFile(path.join(d, 'leaf.crt'), leaf.certPem);
    await fs.writeFile(path.join(d, 'leaf.key'), leaf.keyPem);
    return { ca: path.join(d, 'ca.crt'), cert: path.join(d, 'leaf.crt'), key: path.join(d, 'leaf.key') };
  }

  it('ECDSA P-256: digitalSignature only, ecdsa-with-SHA256, public keys match', async () => {
    const d = await tempDir();
    const f = await writeOut(d, await issueLeaf({ ca, sans: parseSans(['reg.example.com']), keyType: 'ecdsa-p256' }));
    expect((await verify(f.ca, f.cert)).ok).toBe(true);
    const text = await x509Text(f.cert);
    expect(extensionText(text, 'Key Usage')).toBe('critical Digital Signature');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toContain('NIST CURVE: P-256');
    const k = await publicKeyDigests(f.cert, f.key);
    expect(k.key).toBe(k.cert);
  });

  it('IPv6 and wildcard SANs are written as openssl reads them', async () => {
    const d = await tempDir();
    const f = await writeOut(d, await issueLeaf({ ca, sans: parseSans(['*.apps.example.com', '2001:db8::85', '[::1]', 'harbor']), keyType: 'rsa-2048' }));
    const text = await x509Text(f.cert);
    expect(extensionText(text, 'Subject Alternative Name')).toBe('DNS:*.apps.example.com, IP Address:2001:DB8:0:0:0:0:0:85, IP Address:0:0:0:0:0:0:0:1, DNS:harbor');
    expect(text).toContain('Subject: CN = *.apps.example.com');
    expect((await verify(f.ca, f.cert)).ok).toBe(true);
  });

  it('signs with an RSA CA made by openssl (issuer name copied byte for byte)', async () => {
    const d = await tempDir();
    await mustOpenssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(d, 'ca.key'), '-out', path.join(d, 'ca.crt'), '-days', '30', '-subj', '/C=CN/O=Ops Team/CN=Ops Root CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    const opsCa = await loadCa(d);
    await issueToFiles({ ca: opsCa, sans: parseSans(['reg.example.com']), certPath: path.join(d, 's.crt'), keyPath: path.join(d, 's.key'), keyType: 'ecdsa-p256' });
    expect(await verify(path.join(d, 'ca.crt'), path.join(d, 's.crt'))).toMatchObject({ ok: true });
  });

  it('refuses more than 825 days, and a CN equal to the CA CN', async () => {
    expect(parseDays('825', 397, 825, 'a server certificate')).toBe(825);
    const tooLong = (() => {
      try {
        parseDays('826', 397, 825, 'a server certificate');
      } catch (e) {
        return e as RegctlError;
      }
    })();
    expect(tooLong?.code).toBe('E_CERT_DAYS_TOO_LONG');
    expect(tooLong?.fix).toMatch(/Apple/);
    expect(() => parseDays('ten', 397, 825, 'x')).toThrow(/whole number/);

    const clash = await createCa({ commonName: 'reg.example.com', keyType: 'ecdsa-p256' });
    await expect(issueLeaf({ ca: clash, sans: parseSans(['reg.example.com']) })).rejects.toMatchObject({ code: 'E_CERT_CN_CLASH' });
  });

  it('never replaces existing files (that is renew\'s job) and writes nothing then', async () => {
    const d = await tempDir();
    await fs.writeFile(path.join(d, 'server.crt'), 'users own\n');
    const r = issueToFiles({ ca, sans: parseSans(['reg.example.com']), certPath: path.join(d, 'server.crt'), keyPath: path.join(d, 'server.key') });
    await expect(r).rejects.toMatchObject({ code: 'E_CERT_EXISTS' });
    expect(await fs.readdir(d)).toEqual(['server.crt']);
    expect(await fs.readFile(path.join(d, 'server.crt'), 'utf8')).toBe('users own\n');
  });
});

describe('regctl cert renew', () => {
  it('keeps the names and the CA, makes a new key and serial, and backs up the old pair', async () => {
    const d = await tempDir();
    const caDir = path.join(d, 'ca');
    await writeCa(caDir, await createCa({ commonName: 'regctl CA for test', keyType: 'rsa-2048' }));
    const ca = await loadCa(caDir);
    const certPath = path.join(d, 'server.crt');
    const keyPath = path.join(d, 'server.key');
    const first = await issueToFiles({ ca, sans: parseSans(['reg.example.com', '10.0.0.5', '2001:db8::5']), certPath, keyPath, days: 30, keyType: 'ecdsa-p256' });
    const caBefore = await fs.readFile(path.join(caDir, 'ca.crt'));

    const now = new Date(Date.now() + 1000);
    const renewed = await renewFiles({ ca, certPath, keyPath, now });
    expect(renewed.cert.serialHex).not.toBe(first.cert.serialHex);
    expect(renewed.sans.map((s) => s.value)).toEqual(['reg.example.com', '10.0.0.5', '2001:db8::5']);
    expect(renewed.key.asymmetricKeyType).toBe('ec');
    expect((await verify(path.join(caDir, 'ca.crt'), certPath)).ok).toBe(true);
    expect(extensionText(await x509Text(certPath), 'Subject Alternative Name')).toBe('DNS:reg.example.com, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5');
    const { notBefore, notAfter } = await dates(certPath);
    expect(notAfter.getTime() - notBefore.getTime()).toBe(397 * DAY);
    const k = await publicKeyDigests(certPath, keyPath);
    expect(k.key).toBe(k.cert);
    expect(await fs.readFile(path.join(caDir, 'ca.crt'))).toEqual(caBefore);
    expect(renewed.backups).toHaveLength(2);
    expect(await fs.readFile(renewed.backups[0]!, 'utf8')).toBe(first.certPem);
    expect((await fs.stat(renewed.backups[1]!)).mode & 0o777).toBe(0o600);
  });

  it('refuses a certificate issued by another CA', async () => {
    const d = await tempDir();
    const a = await createCa({ commonName: 'regctl CA for a', keyType: 'ecdsa-p256' });
    const b = await createCa({ commonName: 'regctl CA for b', keyType: 'ecdsa-p256' });
    const certPath = path.join(d, 's.crt');
    const keyPath = path.join(d, 's.key');
    await issueToFiles({ ca: a, sans: parseSans(['reg.example.com']), certPath, keyPath });
    const before = await fs.readFile(certPath, 'utf8');
    await expect(renewFiles({ ca: b, certPath, keyPath })).rejects.toMatchObject({ code: 'E_RENEW_OTHER_CA' });
    expect(await fs.readFile(certPath, 'utf8')).toBe(before);
    expect((await fs.readdir(d)).sort()).toEqual(['s.crt', 's.key']);
  });
});
