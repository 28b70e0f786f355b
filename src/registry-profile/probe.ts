/**
 * Does the registry answer like a registry with auth on? GET /v2/ on 127.0.0.1:PORT must give
 * 401 with a Basic challenge (distribution's htpasswd auth). With the CA known, the certificate is
 * verified against it for the configured hostname, as clients will.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { readFile } from 'node:fs/promises';
import type { RegistryProfileConfig } from './model.js';

export interface ProbeResult {
  status: 'pass' | 'fail';
  detail: string;
  fix?: string;
}

export async function probeRegistry(config: RegistryProfileConfig, opts: { caFile?: string; timeoutMs?: number }): Promise<ProbeResult> {
  const ca = opts.caFile ? await readFile(opts.caFile).catch(() => undefined) : undefined;
  const url = `${config.tls ? 'https' : 'http'}://127.0.0.1:${config.port}/v2/`;
  try {
    const res = await get(url, {
      timeout: opts.timeoutMs ?? 5000,
      ...(config.tls
        ? { ca, rejectUnauthorized: Boolean(ca), checkServerIdentity: (_h: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(config.hostname, cert) }
        : {}),
    });
    const challenge = String(res.headers['www-authenticate'] ?? '');
    if (res.statusCode === 401 && /^basic/i.test(challenge)) return { status: 'pass', detail: `${url} answers 401 with ${challenge}${ca ? ' (certificate verified for ' + config.hostname + ')' : ''}` };
    return { status: 'fail', detail: `${url} answered ${res.statusCode} ${challenge ? `(${challenge})` : 'without an auth challenge'}`, fix: 'check auth.htpasswd in registry.yml and regctl logs registry' };
  } catch (err) {
    return { status: 'fail', detail: `${url}: ${(err as Error).message}`, fix: 'see regctl logs registry' };
  }
}

function get(url: string, options: https.RequestOptions): Promise<http.IncomingMessage> {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}
