/**
 * loadOrCreateSecrets (src/secrets/store.ts): a missing token-signing pair is generated (for real,
 * RSA-4096), an existing one is kept as it is. The second is what seedTokenKeyPair relies on.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSecrets, SECRET_PATHS } from '../../src/secrets/store.js';
import { seedTokenKeyPair, suiteTokenPair } from '../helpers/token-pair.js';
import { tempDir } from '../helpers/tmp.js';

describe('the token-signing pair', () => {
  it('is generated when data_volume has none: an RSA-4096 PKCS#1 key and its self-signed certificate', async () => {
    const data = await tempDir('regctl-secrets');
    const slow: string[] = [];
    const { secrets, created } = await loadOrCreateSecrets(data, await tempDir('regctl-secrets-install'), new Date(), (w) => slow.push(w));
    expect(created).toContain('token signing pair');
    expect(slow).toHaveLength(1);
    expect(secrets.tokenPrivateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const key = createPrivateKey(secrets.tokenPrivateKeyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    const cert = new X509Certificate(secrets.tokenRootCertPem);
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('is kept when data_volume has one (what seedTokenKeyPair relies on), with the modes and owner prepare renders', async () => {
    const data = await tempDir('regctl-secrets');
    await seedTokenKeyPair(data);
    const slow: string[] = [];
    const { secrets, created } = await loadOrCreateSecrets(data, await tempDir('regctl-secrets-install'), new Date(), (w) => slow.push(w));
    const pair = await suiteTokenPair();
    expect(secrets.tokenPrivateKeyPem).toBe(pair.privateKeyPem);
    expect(secrets.tokenRootCertPem).toBe(pair.certificatePem);
    expect(created.filter((c) => c.startsWith('token'))).toEqual([]);
    expect(slow).toEqual([]);
    for (const rel of [SECRET_PATHS.tokenKey, SECRET_PATHS.tokenCert]) {
      const st = statSync(path.join(data, rel));
      expect(st.mode & 0o777).toBe(0o600);
      if (process.getuid?.() === 0) expect([st.uid, st.gid]).toEqual([10000, 10000]);
    }
  });
});
