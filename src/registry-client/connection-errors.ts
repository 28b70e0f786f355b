/**
 * What a failed connection means, in the contract's form (code, message, fix; exit 1: the check
 * failed, the input was fine). Node reports TLS verification failures with OpenSSL's names, a TLS
 * handshake answered by a plain-HTTP server as "wrong version number", and resolver and socket
 * failures with errno codes.
 */
import { ExitCode, RegctlError } from '../errors.js';
import { BodyTooLargeError, TimeoutError } from './transport.js';
import type { TrustAnchors } from './trust-anchors.js';

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

export interface ErrorContext {
  /** 'HOST:PORT' as clients write it (for the cert trust line) */
  registryName: string;
  /** who was asked: 'the registry 127.0.0.1:5000', 'the token service at https://auth/token' */
  peer: string;
  anchors?: TrustAnchors;
}

export function errnoCode(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  if (Array.isArray(e?.errors)) for (const x of e.errors) if (typeof (x as NodeJS.ErrnoException)?.code === 'string') return (x as NodeJS.ErrnoException).code;
  return undefined;
}

export function connectionError(err: unknown, url: URL, ctx: ErrorContext): RegctlError {
  if (err instanceof RegctlError) return err;
  const fail = (code: string, message: string, fix: string) => new RegctlError(code, message, { fix, exitCode: ExitCode.failure, cause: err });
  const at = url.host;
  if (err instanceof TimeoutError) return fail('E_REGISTRY_TIMEOUT', `${ctx.peer} (${at}) did not answer within ${err.ms / 1000} s`, 'check that the registry runs and that no firewall drops the port');
  if (err instanceof BodyTooLargeError) return fail('E_REGISTRY_PROTOCOL', `${ctx.peer} sent an answer over the size regctl accepts; it is not behaving like a registry`, `check that ${at} is the registry`);
  const code = errnoCode(err);
  const message = (err as Error)?.message ?? String(err);
  const trustLine = `regctl cert trust --ca FILE --registry ${ctx.registryName}`;
  if (code && UNTRUSTED.has(code)) {
    const checked = ctx.anchors ? ` (checked against ${ctx.anchors.source})` : '';
    return fail(
      'E_REGISTRY_TLS_UNTRUSTED',
      `the TLS certificate of ${ctx.peer} (${at}) is not signed by a CA this machine trusts${checked}: ${code}`,
      `trust the CA that signed it: \`${trustLine}\` (FILE: the registry's ca.crt, e.g. data_volume/ca_download/ca.crt on the registry host), or pass --ca FILE to this command`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return fail('E_REGISTRY_TLS_VALIDITY', `the TLS certificate of ${ctx.peer} (${at}) ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'}`, code === 'CERT_HAS_EXPIRED' ? 'renew it on the registry host (regctl cert renew --ca DIR --cert FILE --key FILE) and restart the registry' : "check the clocks of this machine and the registry host (timedatectl)");
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return fail('E_REGISTRY_TLS_NAME', `the TLS certificate of ${ctx.peer} does not cover ${url.hostname}: ${message}`, `issue one that does (regctl cert issue --ca DIR --san ${url.hostname}), or connect with a name the certificate covers`);
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|http request/i.test(message)) {
    return fail(
      'E_REGISTRY_PLAIN_HTTP',
      `${ctx.peer} (${at}) answered the TLS handshake in plain HTTP: it serves http://, not https://`,
      `enable TLS on the registry (https in harbor.yml; regctl cert issue makes a certificate), or, if it is meant to be plain HTTP, write http://${at} and mark it insecure for Docker: regctl cert trust --insecure --registry ${ctx.registryName}`,
    );
  }
  if (code === 'ECONNREFUSED') return fail('E_REGISTRY_UNREACHABLE', `nothing listens on ${at} (connection refused by ${ctx.peer})`, `check the port, and that the registry runs there (regctl status on the registry host)`);
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA') return fail('E_REGISTRY_NAME', `the name ${url.hostname} does not resolve (${ctx.peer})`, 'check the spelling, the DNS server (resolvectl, /etc/resolv.conf) or /etc/hosts');
  if (code === 'EAI_AGAIN') return fail('E_REGISTRY_NAME', `the name ${url.hostname} could not be resolved now (temporary DNS failure)`, 'check the DNS server (/etc/resolv.conf) and retry');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return fail('E_REGISTRY_UNREACHABLE', `${at} is not reachable from this machine (${code})`, 'check the address, routes and firewalls between this machine and the registry');
  if (code === 'ECONNRESET' || /socket hang up/.test(message)) return fail('E_REGISTRY_CONNECTION', `${ctx.peer} (${at}) closed the connection (${code ?? message})`, `check that ${at} is the registry's port; a TLS port behind a proxy may reset connections it does not expect`);
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_') || /ssl|tls/i.test(message)) return fail('E_REGISTRY_TLS', `TLS with ${ctx.peer} (${at}) failed: ${message}`, 'check the registry certificate with regctl cert check on the registry host');
  return fail('E_REGISTRY_CONNECTION', `cannot reach ${ctx.peer} (${at}): ${message}`, 'check the address and port');
}
