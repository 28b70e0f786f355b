/**
 * The token flow of the distribution auth spec: GET the challenge's realm with `service` and
 * `scope`, Basic credentials when there are any (anonymous otherwise), and take `token` or
 * `access_token` from the JSON answer. The token is never printed nor put in an error.
 */
import { ExitCode, RegctlError } from '../errors.js';
import type { Challenge } from './challenge.js';
import { connectionError } from './connection-errors.js';
import type { Credentials } from './docker-config.js';
import { authFailed, authRequired, type CredentialHint, unexpectedStatus } from './registry-errors.js';
import type { Transport } from './transport.js';
import type { TrustAnchors } from './trust-anchors.js';

export interface BearerContext {
  transport: Transport;
  registryName: string;
  registryOrigin: URL;
  anchors?: TrustAnchors;
  credentials?: Credentials;
  hint?: CredentialHint;
}

const isLoopback = (host: string) => host === 'localhost' || /^127\./.test(host) || host === '[::1]';

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

export async function fetchBearerToken(challenge: Challenge, scope: string, ctx: BearerContext): Promise<string> {
  const fail = (code: string, message: string, fix: string) => new RegctlError(code, message, { fix, exitCode: ExitCode.failure });
  let realm: URL;
  try {
    realm = new URL(challenge.params['realm'] ?? '');
  } catch {
    throw fail('E_REGISTRY_TOKEN_SERVICE', `${ctx.registryName} asks for a Bearer token but names no usable token service (realm '${challenge.params['realm'] ?? ''}')`, "fix the registry's auth.token.realm: an absolute https:// URL of the token service");
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw fail('E_REGISTRY_TOKEN_SERVICE', `the token realm ${realm.origin} is not http(s)`, "fix the registry's auth.token.realm");
  if (ctx.credentials && realm.protocol === 'http:' && ctx.registryOrigin.protocol === 'https:' && !isLoopback(realm.hostname)) {
    throw fail('E_REGISTRY_TOKEN_INSECURE', `${ctx.registryName} sends clients to a token service over plain HTTP (${realm.origin}); regctl does not send a password there`, 'serve the token service over https (Harbor: set external_url to https://...)');
  }
  const url = new URL(realm);
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
  url.searchParams.set('scope', scope);
  const peer = `the token service at ${realm.origin}${realm.pathname}`;
  const headers: Record<string, string> = ctx.credentials ? { authorization: basicHeader(ctx.credentials) } : {};
  let res;
  try {
    res = await ctx.transport.get(url, headers);
  } catch (err) {
    throw connectionError(err, url, { registryName: ctx.registryName, peer, anchors: ctx.anchors });
  }
  if (res.status === 401 || res.status === 403) {
    if (ctx.credentials) throw authFailed(ctx.registryName, ctx.credentials, peer, res, false);
    throw authRequired(ctx.registryName, 'Bearer', ctx.hint);
  }
  if (res.status !== 200) throw unexpectedStatus(peer, `the token request for ${scope}`, res, false);
  let token: unknown;
  try {
    const doc = JSON.parse(res.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
    token = doc.token ?? doc.access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !token) throw fail('E_REGISTRY_TOKEN_SERVICE', `${peer} answered without a token (no "token" or "access_token" in its JSON)`, 'check that the realm is the token endpoint (Harbor: https://HOST/service/token)');
  return token;
}
