/**
 * Proving Harbor answers where users will reach it. Requests go to the published port on
 * 127.0.0.1 but carry the public name (SNI and Host), and TLS is verified against the configured
 * CA with the hostname check, so a wrong certificate fails here rather than on every client.
 *
 *  - GET /api/v2.0/health must report {"status":"healthy"} (Harbor's own component check);
 *  - GET /v2/ must answer 401 with a Bearer challenge whose realm is on the public URL; a realm
 *    on another host or port is what makes `docker login` fail after a port change.
 */
import { readIfExists } from '../util/fs.js';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { HarborConfig } from '../config/model.js';
import { hostPathResolver } from '../installation/host-paths.js';
import { NOTARY_PUBLIC_PORT } from '../render/components/notary.js';

export type EndpointStatus = 'pass' | 'warn' | 'fail';

export interface EndpointResult {
  check: string;
  status: EndpointStatus;
  detail: string;
  fix: string;
}

export interface ProbeTarget {
  protocol: 'http' | 'https';
  /** where to connect (the published port on loopback) */
  connectHost: string;
  port: number;
  /** public name: SNI, Host header, certificate check */
  hostname: string;
  /** what users type: https://reg.example.com:8443 */
  publicUrl: string;
  /** PEM CA(s) to verify against; undefined: the system store */
  ca?: Buffer;
  /** the certificate nginx serves (to recognise it when no CA is known) */
  serverCert?: Buffer;
}


/** The probe target for a config: https port if https, else http; CA from https.ca_file. */
export async function probeTargetFor(config: HarborConfig, opts: { root?: string; connectHost?: string } = {}): Promise<ProbeTarget> {
  const httpsOn = config.protocol === 'https' && config.https;
  let ca: Buffer | undefined;
  let serverCert: Buffer | undefined;
  if (httpsOn && config.https) {
    const at = hostPathResolver(opts.root, config);
    if (config.https.caFile) ca = await readIfExists(at(config.https.caFile));
    serverCert = await readIfExists(at(config.https.certificate));
  }
  return {
    protocol: httpsOn ? 'https' : 'http',
    connectHost: opts.connectHost ?? '127.0.0.1',
    port: httpsOn && config.https ? config.https.port : config.http.port,
    hostname: config.hostname,
    publicUrl: config.publicUrl,
    ca,
    serverCert,
  };
}

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** set when TLS verification was relaxed to identify the server by its certificate */
  note?: string;
}

function hostHeader(t: ProbeTarget): string {
  const defaultPort = t.protocol === 'https' ? 443 : 80;
  const h = isIP(t.hostname) === 6 ? `[${t.hostname}]` : t.hostname;
  return t.port === defaultPort ? h : `${h}:${t.port}`;
}

function request(t: ProbeTarget, path: string, verify: boolean, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const common = { host: t.connectHost, port: t.port, path, method: 'GET', headers: { Host: hostHeader(t), 'User-Agent': 'regctl' }, timeout: timeoutMs };
    const onResponse = (res: http.IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 65536) body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    };
    const req =
      t.protocol === 'https'
        ? https.request({
            ...common,
            servername: isIP(t.hostname) ? undefined : t.hostname,
            ca: t.ca,
            rejectUnauthorized: verify,
            // verify the public name, not the loopback address we connect to
            checkServerIdentity: (_host, cert) => tls.checkServerIdentity(t.hostname, cert),
            agent: false,
          }, onResponse)
        : http.request({ ...common, agent: false }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET with full verification; when no CA is configured and the chain is unknown, accept the
 * server only if it presents exactly the configured certificate (and say so). */
async function get(t: ProbeTarget, path: string, timeoutMs: number): Promise<HttpAnswer> {
  try {
    return await request(t, path, true, timeoutMs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const chainProblem = /UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|SELF_SIGNED_CERT_IN_CHAIN/.test(code);
    if (t.protocol !== 'https' || t.ca || !chainProblem || !t.serverCert) throw err;
    const answer = await request({ ...t }, path, false, timeoutMs);
    const presented = await presentedCertificate(t, timeoutMs);
    const configured = new X509Certificate(t.serverCert);
    if (!presented || presented.fingerprint256 !== configured.fingerprint256) throw err;
    return { ...answer, note: 'chain not verified (no https.ca_file in the config); the server presents the configured certificate' };
  }
}

function presentedCertificate(t: ProbeTarget, timeoutMs: number): Promise<X509Certificate | undefined> {
  return new Promise((resolve) => {
    const sock = tls.connect({ host: t.connectHost, port: t.port, servername: isIP(t.hostname) ? undefined : t.hostname, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const raw = sock.getPeerX509Certificate();
      sock.end();
      resolve(raw);
    });
    sock.on('error', () => resolve(undefined));
    sock.on('timeout', () => {
      sock.destroy();
      resolve(undefined);
    });
  });
}

function describeError(err: unknown, t: ProbeTarget): { detail: string; fix: string } {
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  const where = `${t.connectHost}:${t.port}`;
  if (code === 'ECONNREFUSED') return { detail: `nothing answers on ${where}`, fix: 'check that the nginx container is running and publishes the port (regctl status)' };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { detail: `the certificate does not cover ${t.hostname}: ${e.message}`, fix: `issue a certificate for ${t.hostname} (regctl cert issue) and run regctl install again` };
  if (/CERT|SELF_SIGNED|UNABLE_TO/.test(code)) return { detail: `TLS verification failed (${code}): ${e.message}`, fix: 'set https.ca_file to the CA that issued the certificate, or include the intermediates in https.certificate' };
  return { detail: `${where}: ${e.message}`, fix: 'see regctl status and regctl logs proxy' };
}

/** GET /api/v2.0/health through the proxy: healthy, or which components are not. */
export async function checkHealthEndpoint(t: ProbeTarget, timeoutMs = 5000): Promise<EndpointResult> {
  const check = 'GET /api/v2.0/health';
  let a: HttpAnswer;
  try {
    a = await get(t, '/api/v2.0/health', timeoutMs);
  } catch (err) {
    return { check, status: 'fail', ...describeError(err, t) };
  }
  if (a.status !== 200) return { check, status: 'fail', detail: `HTTP ${a.status} from ${t.publicUrl}/api/v2.0/health`, fix: 'see regctl logs core and regctl logs proxy' };
  let body: { status?: string; components?: { name: string; status: string; error?: string }[] };
  try {
    body = JSON.parse(a.body);
  } catch {
    return { check, status: 'fail', detail: 'the answer is not JSON (is this Harbor?)', fix: 'see regctl logs proxy' };
  }
  if (body.status !== 'healthy') {
    const bad = (body.components ?? []).filter((c) => c.status !== 'healthy').map((c) => `${c.name}${c.error ? ` (${c.error})` : ''}`);
    return { check, status: 'fail', detail: `Harbor reports ${body.status ?? 'no status'}${bad.length ? `: unhealthy ${bad.join(', ')}` : ''}`, fix: `see regctl logs ${bad[0]?.split(' ')[0] ?? 'core'}` };
  }
  const n = body.components?.length ?? 0;
  return { check, status: 'pass', detail: `healthy${n ? ` (${n} components)` : ''}${a.note ? `; ${a.note}` : ''}`, fix: '' };
}

/** The host and port a URL addresses (default port filled in). */
export function urlHostPort(u: string): { host: string; port: number } | undefined {
  try {
    const url = new URL(u);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port };
  } catch {
    return undefined;
  }
}

/** GET /v2/ anonymously: 401 with a Bearer realm on the public URL. */
export async function checkRegistryEndpoint(t: ProbeTarget, timeoutMs = 5000): Promise<EndpointResult> {
  const check = 'GET /v2/ (token realm)';
  let a: HttpAnswer;
  try {
    a = await get(t, '/v2/', timeoutMs);
  } catch (err) {
    return { check, status: 'fail', ...describeError(err, t) };
  }
  if (a.status !== 401) return { check, status: 'fail', detail: `expected 401 from /v2/, got HTTP ${a.status}`, fix: 'see regctl logs core and regctl logs proxy' };
  const challenge = String(a.headers['www-authenticate'] ?? '');
  const realm = /realm="([^"]+)"/i.exec(challenge)?.[1];
  if (!realm) return { check, status: 'fail', detail: `401 without a Bearer realm (WWW-Authenticate: ${challenge || 'absent'})`, fix: 'see regctl logs core' };
  const r = urlHostPort(realm);
  const p = urlHostPort(t.publicUrl);
  if (!r || !p || r.host !== p.host.toLowerCase() || r.port !== p.port) {
    return {
      check,
      status: 'warn',
      detail: `the token realm is ${realm}, but users log in at ${t.publicUrl}: docker login will be sent to ${r ? `${r.host}:${r.port}` : realm}`,
      fix: `set external_url to ${t.publicUrl} (with the port) in the config, then run regctl install again`,
    };
  }
  return { check, status: 'pass', detail: `401 with realm ${realm}${a.note ? `; ${a.note}` : ''}`, fix: '' };
}

/**
 * Notary through nginx (the 2.8 line with --with-notary): GET /v2/ on NOTARY_PUBLIC_PORT must be
 * notary-server's own 401 with service="harbor-notary". The containers have no healthcheck, and
 * notary-server answers only after its schema is in place: nginx's 502 until then is a failure.
 */
export async function checkNotaryEndpoint(t: ProbeTarget, timeoutMs = 5000, port = NOTARY_PUBLIC_PORT): Promise<EndpointResult> {
  const n: ProbeTarget = { ...t, protocol: 'https', port };
  const check = `GET :${port}/v2/ (notary)`;
  let a: HttpAnswer;
  try {
    a = await get(n, '/v2/', timeoutMs);
  } catch (err) {
    return { check, status: 'fail', ...describeError(err, n) };
  }
  const challenge = String(a.headers['www-authenticate'] ?? '');
  if (a.status !== 401 || !/service="harbor-notary"/.test(challenge)) {
    return { check, status: 'fail', detail: `expected notary-server's 401 (service harbor-notary), got HTTP ${a.status}${challenge ? ` (${challenge})` : ''}`, fix: 'see regctl logs notary-server and regctl logs notary-signer' };
  }
  return { check, status: 'pass', detail: `401 from notary-server (service harbor-notary)${a.note ? `; ${a.note}` : ''}`, fix: '' };
}

export async function checkEndpoints(t: ProbeTarget, timeoutMs = 5000, opts: { notary?: boolean } = {}): Promise<EndpointResult[]> {
  const out = [await checkHealthEndpoint(t, timeoutMs), await checkRegistryEndpoint(t, timeoutMs)];
  if (opts.notary) out.push(await checkNotaryEndpoint(t, timeoutMs));
  return out;
}

export const failingEndpoints = (endpoints: EndpointResult[]): EndpointResult[] => endpoints.filter((e) => e.status === 'fail');
export const describeEndpoints = (endpoints: EndpointResult[]): string => endpoints.map((e) => `${e.check}: ${e.detail}`).join('; ');

/**
 * checkEndpoints once a second until none fails or the deadline passes: containers report
 * healthy a little before nginx routes to them. What install's verify step and restore wait for.
 */
export async function waitForEndpoints(t: ProbeTarget, opts: { deadline: number; notary?: boolean; onFailing?: (detail: string) => void }): Promise<EndpointResult[]> {
  for (;;) {
    const endpoints = await checkEndpoints(t, 5000, { notary: opts.notary });
    const failing = failingEndpoints(endpoints);
    if (!failing.length || Date.now() >= opts.deadline) return endpoints;
    opts.onFailing?.(describeEndpoints(failing));
    await new Promise((r) => setTimeout(r, 1000));
  }
}
