import { describe, expect, it } from 'vitest';
import { hostCoverage, hostWithoutPort } from '../../src/cert/host-match.js';
import { createCa } from '../../src/cert/ca.js';
import { issueLeaf } from '../../src/cert/leaf.js';
import { parseSans } from '../../src/cert/san.js';

const san = { dns: ['reg.example.com', '*.apps.example.com'], ip: ['192.168.120.85', '2001:db8::1'] };

describe('hostCoverage', () => {
  it('matches addresses against IP SANs only, in any IPv6 spelling', () => {
    expect(hostCoverage('192.168.120.85', san)).toEqual({ covered: true, by: 'IP:192.168.120.85' });
    expect(hostCoverage('[2001:DB8::0:1]:5000', san)).toEqual({ covered: true, by: 'IP:2001:db8::1' });
    const asDns = hostCoverage('10.0.0.5', { dns: ['10.0.0.5'], ip: [] });
    expect(asDns.covered).toBe(false);
    expect(!asDns.covered && asDns.reason).toMatch(/listed as a DNS name.*needs IP:10.0.0.5/);
  });

  it('applies the one-label wildcard rule and explains near misses', () => {
    expect(hostCoverage('ci.apps.example.com', san)).toEqual({ covered: true, by: 'DNS:*.apps.example.com' });
    const deep = hostCoverage('a.b.apps.example.com', san);
    expect(!deep.covered && deep.reason).toMatch(/covers exactly one label/);
    const bare = hostCoverage('apps.example.com', san);
    expect(!bare.covered && bare.reason).toMatch(/does not cover apps.example.com itself/);
  });

  it('names the CN problem when there is no SAN at all', () => {
    const r = hostCoverage('reg.example.com', undefined, 'reg.example.com');
    expect(!r.covered && r.reason).toMatch(/no subjectAltName.*only as the CN/);
  });

  it('ignores ports and case', () => {
    expect(hostWithoutPort('reg.example.com:5000')).toBe('reg.example.com');
    expect(hostCoverage('REG.example.com:443', san).covered).toBe(true);
  });

  it('agrees with OpenSSL (through Node) on a real certificate', async () => {
    const ca = await createCa({ commonName: 'regctl CA for test', keyType: 'ecdsa-p256' });
    const leaf = await issueLeaf({ ca, sans: parseSans(['reg.example.com', '*.apps.example.com', '192.168.120.85', '2001:db8::1']) });
    const x = leaf.cert.x509;
    for (const host of ['reg.example.com', 'ci.apps.example.com', 'a.b.apps.example.com', 'apps.example.com', 'other.example.com']) {
      expect(hostCoverage(host, leaf.cert.san).covered, host).toBe(x.checkHost(host, { subject: 'never' }) !== undefined);
    }
    for (const ip of ['192.168.120.85', '2001:db8::1', '192.168.120.86']) {
      expect(hostCoverage(ip, leaf.cert.san).covered, ip).toBe(x.checkIP(ip) !== undefined);
    }
  });
});
