import { describe, expect, it } from 'vitest';
import { parseSan, parseSans } from '../../src/cert/san.js';
import { RegctlError } from '../../src/errors.js';

function refusal(value: string): RegctlError {
  try {
    parseSan(value);
  } catch (err) {
    return err as RegctlError;
  }
  throw new Error(`parseSan accepted ${value}`);
}

describe('parseSan: IP or DNS', () => {
  it('classifies IPv4 and IPv6 (with or without brackets) as IP SANs, normalised', () => {
    expect(parseSan('192.168.120.85')).toEqual({ type: 'ip', value: '192.168.120.85' });
    expect(parseSan('2001:DB8:0:0::1')).toEqual({ type: 'ip', value: '2001:db8::1' });
    expect(parseSan('[::1]')).toEqual({ type: 'ip', value: '::1' });
  });

  it('classifies names as DNS SANs: lower case, no trailing dot, punycode', () => {
    expect(parseSan('Reg.Example.COM.')).toEqual({ type: 'dns', value: 'reg.example.com' });
    expect(parseSan('registre.exemple.fr')).toEqual({ type: 'dns', value: 'registre.exemple.fr' });
    expect(parseSan('bücher.example')).toEqual({ type: 'dns', value: 'xn--bcher-kva.example' });
    expect(parseSan('harbor')).toEqual({ type: 'dns', value: 'harbor' });
  });

  it('accepts a wildcard only as the whole left-most label above at least two labels', () => {
    expect(parseSan('*.apps.example.com')).toEqual({ type: 'dns', value: '*.apps.example.com' });
    expect(refusal('*.com').message).toMatch(/two labels/);
    expect(refusal('reg*.example.com').message).toMatch(/whole left-most label/);
    expect(refusal('a.*.example.com').message).toMatch(/whole left-most label/);
  });

  it('refuses URLs, ports, zone ids and invalid names with the corrected value in the fix', () => {
    expect(refusal('https://reg.example.com/v2').fix).toBe('use --san reg.example.com');
    expect(refusal('reg.example.com:5000').fix).toBe('use --san reg.example.com');
    expect(refusal('fe80::1%eth0').message).toMatch(/zone/);
    expect(refusal('under_score.example.com').message).toMatch(/not a valid DNS name/);
    expect(refusal('-bad.example.com').code).toBe('E_CERT_SAN_INVALID');
    expect(refusal('').exitCode).toBe(2);
  });

  it('de-duplicates and keeps the first order (the first SAN becomes the CN)', () => {
    expect(parseSans(['reg.example.com', '10.0.0.1', 'REG.example.com', '10.0.0.1'])).toEqual([
      { type: 'dns', value: 'reg.example.com' },
      { type: 'ip', value: '10.0.0.1' },
    ]);
  });
});
