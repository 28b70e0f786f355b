/**
 * One HTTP GET with Node's own client (node:http / node:https; Node 20 has no importable undici
 * Agent without the package): TLS verified against the given CA list, a time limit, a body size
 * cap. Errors are Node's, with their codes; connection-errors.ts words them.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  url: URL;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** every value of a header that may repeat (WWW-Authenticate, Link) */
  all(name: string): string[];
  body: Buffer;
}

export interface Transport {
  get(url: URL, headers?: Record<string, string>): Promise<HttpResponse>;
  /** HEAD and DELETE of a manifest (regctl verify); `get` is request('GET', ...) */
  request?(method: 'GET' | 'HEAD' | 'DELETE', url: URL, headers?: Record<string, string>): Promise<HttpResponse>;
}

/** A catalog page of 1000 names is ~50 KiB; error pages are small. */
export const MAX_BODY = 8 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

export class BodyTooLargeError extends Error {
  constructor(readonly url: URL) {
    super(`the answer from ${url.origin} is over ${MAX_BODY} bytes`);
  }
}

export class TimeoutError extends Error {
  constructor(readonly url: URL, readonly ms: number) {
    super(`no answer from ${url.origin} within ${ms / 1000} s`);
  }
}

export function nodeTransport(opts: { ca: string[]; timeoutMs?: number }): Transport {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const httpsAgent = new https.Agent({ keepAlive: true, ca: opts.ca });
  const httpAgent = new http.Agent({ keepAlive: true });
  const request = (method: 'GET' | 'HEAD' | 'DELETE', url: URL, headers: Record<string, string> = {}): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const isHttps = url.protocol === 'https:';
      const req = (isHttps ? https : http).request(url, { method, headers: { 'user-agent': 'regctl', ...headers }, agent: isHttps ? httpsAgent : httpAgent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy(new BodyTooLargeError(url));
            return;
          }
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const distinct = res.headersDistinct;
          resolve({ url, status: res.statusCode ?? 0, headers: res.headers, all: (n) => distinct[n.toLowerCase()] ?? [], body: Buffer.concat(chunks) });
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new TimeoutError(url, timeoutMs)));
      req.on('error', reject);
      req.end();
    });
  return { get: (url, headers) => request('GET', url, headers), request };
}
