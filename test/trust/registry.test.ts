import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../src/trust/registry.js';

describe('parseRegistry', () => {
  it('names certs.d directories as clients write the registry', () => {
    expect(parseRegistry('reg.example.com:5000')).toMatchObject({ name: 'reg.example.com:5000', dirNames: ['reg.example.com:5000'], url: 'https://reg.example.com:5000', key: 'reg.example.com_5000' });
    // 443 is the default: clients may write either form, and lookups are by exact string
    expect(parseRegistry('Reg.Example.com')).toMatchObject({ name: 'reg.example.com', dirNames: ['reg.example.com', 'reg.example.com:443'], asTyped: 'reg.example.com' });
    expect(parseRegistry('reg.example.com:443')).toMatchObject({ name: 'reg.example.com', dirNames: ['reg.example.com', 'reg.example.com:443'], asTyped: 'reg.example.com:443' });
    expect(parseRegistry('192.168.120.85')).toMatchObject({ dirNames: ['192.168.120.85', '192.168.120.85:443'] });
    expect(parseRegistry('[2001:DB8::1]:5000')).toMatchObject({ host: '2001:db8::1', name: '[2001:db8::1]:5000', key: '_2001_db8__1__5000' });
  });

  it('refuses anything that is not HOST[:PORT], so it can never escape certs.d', () => {
    for (const [value, re] of [
      ['https://reg.example.com', /without a scheme/],
      ['reg.example.com/library', /without a path/],
      ['../../etc', /without a path/],
      ['..', /not a valid host name/],
      ['reg.example.com:0', /out of range/],
      ['reg.example.com:99999', /out of range/],
      ['2001:db8::1', /need brackets/],
      ['reg_example.com', /not a valid host name/],
    ] as const) {
      expect(() => parseRegistry(value), value).toThrow(re);
    }
  });
});
