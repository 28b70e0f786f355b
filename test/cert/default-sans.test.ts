import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collectDefaultSans, hostAddresses } from '../../src/cert/default-sans.js';
import { defaultServerSans } from '../../src/cert/for-prepare.js';

function iface(address: string, internal = false): NetworkInterfaceInfo {
  const v6 = address.includes(':');
  return v6
    ? { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal, cidr: `${address}/64`, scopeid: 0 }
    : { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` };
}

const interfaces = {
  lo: [iface('127.0.0.1', true), iface('::1', true)],
  eth0: [iface('192.168.120.85'), iface('fe80::5054:ff:fe12:3456'), iface('2001:db8::85')],
  docker0: [iface('172.17.0.1')],
  wlan0: [iface('169.254.10.10')],
};

describe('default SANs from the machine', () => {
  it('lists every global address, IPv4 first, without loopback or link-local', () => {
    expect(hostAddresses(interfaces)).toEqual(['172.17.0.1', '192.168.120.85', '2001:db8::85']);
  });

  it('puts the FQDN first (it becomes the CN), then the short name, then the addresses', () => {
    expect(collectDefaultSans({ hostname: 'harbor01', fqdn: 'harbor01.corp.example.com', interfaces })).toEqual([
      'harbor01.corp.example.com',
      'harbor01',
      '172.17.0.1',
      '192.168.120.85',
      '2001:db8::85',
    ]);
  });

  it('uses a dotted hostname as the FQDN and skips localhost', () => {
    expect(collectDefaultSans({ hostname: 'Reg.Example.com', interfaces: {} })).toEqual(['reg.example.com', 'reg']);
    expect(collectDefaultSans({ hostname: 'localhost', interfaces: { eth0: [iface('10.1.2.3')] } })).toEqual(['10.1.2.3']);
  });
});

describe('defaultServerSans (for prepare --generate-certs)', () => {
  it('covers the configured hostname, the external_url host, the FQDN, short name and addresses', () => {
    expect(defaultServerSans('192.168.120.85', 'https://reg.example.com:8443', interfaces, 'harbor01.corp.example.com')).toEqual([
      '192.168.120.85',
      'reg.example.com',
      'harbor01.corp.example.com',
      'harbor01',
      '172.17.0.1',
      '2001:db8::85',
    ]);
  });

  it('accepts an empty or scheme-less external_url and bracketed IPv6 hosts', () => {
    expect(defaultServerSans('reg.example.com', '', {})).toEqual(['reg.example.com']);
    expect(defaultServerSans('reg.example.com', 'mirror.example.com', {})).toEqual(['reg.example.com', 'mirror.example.com']);
    expect(defaultServerSans('[2001:db8::1]', 'https://[2001:db8::1]:443', {})).toEqual(['2001:db8::1']);
  });
});
