/** The fingerprints regctl recognises as its bundled example certificates are those of the files. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CERTIFICATES, exampleCertificate } from '../../src/cert/example-certs.js';
import { examplesDir } from '../helpers/workspace.js';
import { createCa } from '../../src/cert/ca.js';

const fileFingerprint = (name: string) => new X509Certificate(readFileSync(path.join(examplesDir, 'certs', name))).fingerprint256;

describe('bundled example certificates', () => {
  it('are the files in examples/certs, each recognised, and nothing else is', async () => {
    expect(EXAMPLE_CERTIFICATES.map((c) => c.fingerprint256).sort()).toEqual([fileFingerprint('ca.crt'), fileFingerprint('registry.crt')].sort());
    expect(exampleCertificate(readFileSync(path.join(examplesDir, 'certs', 'ca.crt')))).toBe("regctl's example CA");
    // a full chain file whose first certificate is the example server certificate is still it
    const chain = `${readFileSync(path.join(examplesDir, 'certs', 'registry.crt'), 'utf8')}\n${readFileSync(path.join(examplesDir, 'certs', 'ca.crt'), 'utf8')}`;
    expect(exampleCertificate(chain)).toBe("regctl's example server certificate");
    expect(exampleCertificate((await createCa({ commonName: 'another CA', keyType: 'ecdsa-p256' })).certPem)).toBeUndefined();
    expect(exampleCertificate('not a certificate')).toBeUndefined();
  });
});
