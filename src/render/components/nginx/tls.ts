/**
 * TLS settings shared by the proxy's nginx.conf and the portal's nginx.conf: both terminate TLS
 * with the same protocol floor and the same cipher choice (`strong_ssl_ciphers`).
 */
import type { HarborConfig } from '../../../config/model.js';
import type { ReleaseOutput } from '../../../releases/types.js';

/** what the release's templates do with TLS listeners (src/releases/) */
export type ReleaseTls = ReleaseOutput['tls'];

/** OpenSSL cipher list used unless strong ciphers are asked for (keeps older clients working). */
export const COMPATIBLE_CIPHERS = '!aNULL:kECDH+AESGCM:ECDH+AESGCM:RSA+AESGCM:kECDH+AES:ECDH+AES:RSA+AES:';
/** `strong_ssl_ciphers: true`: forward-secret AEAD/SHA-256 suites only, no AES-128. */
export const STRONG_CIPHERS = 'ECDHE+AESGCM:DHE+AESGCM:ECDHE+RSA+SHA256:DHE+RSA+SHA256:!AES128';

export function sslCiphers(config: HarborConfig, tls: ReleaseTls): string {
  return tls.strongCiphers && config.strongSslCiphers ? STRONG_CIPHERS : COMPATIBLE_CIPHERS;
}

/**
 * `listen` arguments of a TLS server on `port`, one per enabled IP family. Harbor applies
 * ip_family only to TLS listeners; plain-http listeners stay IPv4 (`listen 8080`).
 */
export function tlsListens(config: HarborConfig, port: number, tls: ReleaseTls): string[] {
  if (!tls.ipFamily) return [`${port} ssl`];
  const out: string[] = [];
  if (config.ipFamily.ipv4) out.push(`${port} ssl`);
  if (config.ipFamily.ipv6) out.push(`[::]:${port} ssl`);
  return out;
}

/** The proxy's client pair and the CA it checks upstream certificates against (internal TLS). */
export const INTERNAL_TLS_UPSTREAM = {
  certificate: '/etc/harbor/tls/proxy.crt',
  key: '/etc/harbor/tls/proxy.key',
  trustedCa: '/harbor_cust_cert/harbor_internal_ca.crt',
} as const;
