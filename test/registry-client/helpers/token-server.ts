/**
 * A real token service for distribution's `auth: token`, as small as the spec allows: GET
 * /token?service&scope with Basic credentials, answering a JWT signed RS256 with the key whose
 * certificate is the registry's rootcertbundle. distribution 2.8 finds the key by the header's
 * `kid`, which must be libtrust's key ID of that certificate's public key
 * (registry/auth/token/token.go, trustedKeys[pubKey.KeyID()]): SHA-256 of the DER SPKI, first 240
 * bits, base32 without padding, in groups of four joined by ':'.
 */
import { createPrivateKey, createHash, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequest {
  service: string | null;
  scope: string | null;
  user?: string;
}

export interface TokenServer {
  realm: string;
  requests: TokenRequest[];
  /** tokens issued, to grep output for */
  issued: string[];
  /** answer with `access_token` instead of `token` */
  useAccessTokenField: boolean;
  close(): Promise<void>;
}

function base32(b: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export function libtrustKeyId(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  const s = base32(createHash('sha256').update(spki).digest().subarray(0, 30));
  return s.match(/.{1,4}/g)!.join(':');
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenServer(o: { keyFile: string; certFile: string; issuer: string; service: string; users: Record<string, string> }): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(o.keyFile));
  const kid = libtrustKeyId(readFileSync(o.certFile, 'utf8'));
  const requests: TokenRequest[] = [];
  const issued: string[] = [];
  const state = { useAccessTokenField: false };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    let user: string | undefined;
    if (auth?.startsWith('Basic ')) {
      const [u, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      if (o.users[u!] === undefined || o.users[u!] !== rest.join(':')) {
        requests.push({ service: url.searchParams.get('service'), scope: url.searchParams.get('scope'), user: u });
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
        return;
      }
      user = u;
    }
    const scope = url.searchParams.get('scope');
    requests.push({ service: url.searchParams.get('service'), scope, user });
    if (url.pathname !== '/token' || !user) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"log in"}]}');
      return;
    }
    const access = (scope ?? '').split(' ').filter(Boolean).map((s) => {
      const parts = s.split(':');
      return { type: parts[0], name: parts.slice(1, -1).join(':'), actions: parts[parts.length - 1]!.split(',') };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', kid };
    const claims = { iss: o.issuer, sub: user, aud: o.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
    const token = `${signingInput}.${b64url(signature)}`;
    issued.push(token);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.useAccessTokenField ? { access_token: token, expires_in: 300 } : { token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    issued,
    get useAccessTokenField() {
      return state.useAccessTokenField;
    },
    set useAccessTokenField(v: boolean) {
      state.useAccessTokenField = v;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
