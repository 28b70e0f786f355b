/**
 * A registry as clients name it: HOST or HOST:PORT. Docker, containerd and containers/image look
 * up trust by that exact string, so it decides the certs.d directory names. It also becomes a
 * path component, so anything that is not a host name, address or port is refused.
 */
import { RegctlError, ExitCode } from '../errors.js';
import { ipVersion, normalizeIp } from '../cert/ip.js';

export interface RegistryRef {
  host: string;
  port?: number;
  /** canonical "host[:port]" as clients type it; port 443 is left out (it is the default) */
  name: string;
  /** https URL clients connect to */
  url: string;
  /**
   * certs.d directory names: `host:port` for a non-default port; for 443 both `host` and
   * `host:443`, because clients may write either and the lookup is by exact string.
   */
  dirNames: string[];
  /** file-name-safe form for manifests and system store files */
  key: string;
  /** host[:port] exactly as given (normalised case), port 443 included when it was given */
  asTyped: string;
}

function invalid(value: string, why: string, fix: string, label: string): RegctlError {
  return new RegctlError('E_TRUST_REGISTRY', `${label} '${value}': ${why}`, { fix, exitCode: ExitCode.invalidInput });
}

const HOSTNAME = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

/** `label` names where the value came from in messages: the --registry flag, or a HOST argument. */
export function parseRegistry(raw: string, label = '--registry'): RegistryRef {
  const value = raw.trim();
  const flag = label.startsWith('--') ? `${label} ` : '';
  const bad = (why: string, fix: string) => invalid(value, why, fix, label);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(value);
  if (scheme) throw bad('give the registry as clients write it in image names, without a scheme', `use ${flag}${scheme[2]}`);
  if (value.includes('/')) throw bad('a registry is HOST or HOST:PORT, without a path', `use ${flag}${value.split('/')[0]}`);
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
    if (ipVersion(host) !== 6) throw bad('not an IPv6 address in brackets', `e.g. ${flag}[2001:db8::1]:5000`);
    host = normalizeIp(host);
  } else {
    if (ipVersion(value) === 6) throw bad('IPv6 addresses need brackets', `use ${flag}[${value}]`);
    const m = /^([^:]+)(?::(\d+))?$/.exec(value);
    if (!m) throw bad('expected HOST or HOST:PORT', `e.g. ${flag}reg.example.com or ${flag}192.168.1.10:5000`);
    host = m[1]!.toLowerCase().replace(/\.$/, '');
    portText = m[2];
    if (!ipVersion(host) && !HOSTNAME.test(host)) {
      throw bad('not a valid host name', 'use letters, digits, hyphens and dots, or an IP address');
    }
  }
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw bad(`port ${portText} is out of range`, 'ports are 1-65535');
  }
  const hostPart = ipVersion(host) === 6 ? `[${host}]` : host;
  const defaultPort = port === undefined || port === 443;
  const name = defaultPort ? hostPart : `${hostPart}:${port}`;
  return {
    host,
    port,
    name,
    url: `https://${name}`,
    dirNames: defaultPort ? [hostPart, `${hostPart}:443`] : [name],
    key: name.replace(/[^A-Za-z0-9.-]/g, '_'),
    asTyped: port === undefined ? hostPart : `${hostPart}:${port}`,
  };
}
