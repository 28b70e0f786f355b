/**
 * The rendered proxy config, running: real nginx, real curl, in a private network namespace.
 * The upstreams (core, portal, registry, jobservice, exporter) are stand-ins that echo what the
 * proxy sent them (Harbor's images cannot be pulled here); nginx, TLS and HTTP are real.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../../src/render/components/nginx.js';
import { contextR1, type ModelR1Options } from './fixtures/model-r1.js';
import { nginxLive, type LiveRun, type LiveUpstream } from './fixtures/nginx-live-r1.js';
import { makeCertSet, type PemPair } from './fixtures/tls-r1.js';

const CORE = '192.0.2.11';
const PORTAL = '192.0.2.12';
const web = (tls?: Record<string, PemPair>): LiveUpstream[] => [
  { name: 'core', host: CORE, port: tls ? 8443 : 8080, tls: tls?.['core'] },
  { name: 'portal', host: PORTAL, port: tls ? 8443 : 8080, tls: tls?.['portal'] },
];

let front: { ca: PemPair; leaves: Record<string, PemPair> };
let internal: { ca: PemPair; leaves: Record<string, PemPair> };
beforeAll(async () => {
  front = makeCertSet(['reg.example.com']);
  // 'wrong' has a SAN that is not the service name: nginx must refuse it as core
  internal = makeCertSet(['proxy', 'core', 'portal', 'wrong']);
});

function frontFiles(o: ModelR1Options): Record<string, string> {
  const files: Record<string, string> = { '/etc/nginx/nginx.conf': renderNginxConfig(contextR1(o)) };
  if (o.https) {
    files['/etc/cert/server.crt'] = front.leaves['reg.example.com']!.cert;
    files['/etc/cert/server.key'] = front.leaves['reg.example.com']!.key;
  }
  if (o.internalTls) {
    files['/etc/harbor/tls/proxy.crt'] = internal.leaves['proxy']!.cert;
    files['/etc/harbor/tls/proxy.key'] = internal.leaves['proxy']!.key;
    files['/harbor_cust_cert/harbor_internal_ca.crt'] = internal.ca.cert;
  }
  return files;
}

describe('https front (public port 443, metrics on 9191)', () => {
  let run: LiveRun;
  beforeAll(async () => {
    const o: ModelR1Options = { https: { port: 443 }, metric: { port: 9191, path: '/metrics' } };
    const metrics: LiveUpstream[] = [
      { name: 'registry', host: '192.0.2.13', port: 9191 },
      { name: 'jobservice', host: '192.0.2.14', port: 9191 },
      { name: 'exporter', host: '192.0.2.15', port: 8080 },
    ];
    // core serves its metrics on metric.port next to its API
    const coreMetrics: LiveUpstream = { name: 'core', host: CORE, port: 9191 };
    run = await nginxLive(
      frontFiles(o),
      [...web(), coreMetrics, ...metrics],
      [
        { name: 'redirect', url: 'http://reg.example.com:8080/v2/library/x/manifests/1?a=b' },
        { name: 'v2', url: 'https://reg.example.com:8443/v2/_catalog' },
        { name: 'api', url: 'https://reg.example.com:8443/api/v2.0/ping' },
        { name: 'portal', url: 'https://reg.example.com:8443/harbor/projects' },
        { name: 'service', url: 'https://reg.example.com:8443/service/token?scope=x' },
        { name: 'c', url: 'https://reg.example.com:8443/c/login', args: ['-X', 'POST', '-d', 'u=p'] },
        { name: 'v1', url: 'https://reg.example.com:8443/v1/_ping' },
        { name: 'notifications', url: 'https://reg.example.com:8443/service/notifications' },
        { name: 'lb-proto', url: 'https://reg.example.com:8443/api/v2.0/ping', args: ['-H', 'X-Forwarded-Proto: http'] },
        { name: 'upload', url: 'https://reg.example.com:8443/v2/library/x/blobs/uploads/1', args: ['-X', 'PATCH'], bodyBytes: 3 * 1024 * 1024 },
        { name: 'm-core', url: 'http://reg.example.com:9090/metrics?comp=core' },
        { name: 'm-js', url: 'http://reg.example.com:9090/metrics?comp=jobservice' },
        { name: 'm-registry', url: 'http://reg.example.com:9090/metrics?comp=registry' },
        { name: 'm-exporter', url: 'http://reg.example.com:9090/metrics' },
      ],
      front.ca.cert,
    );
  });
  const res = (n: string) => {
    const r = run.responses[n];
    if (!r || r.status === 0) throw new Error(`no response for ${n}\n${run.log}`);
    return r;
  };

  it('plain http answers 308 to https with the public port spelled out, path and query kept', () => {
    expect(res('redirect').status).toBe(308);
    expect(res('redirect').headers['location']).toEqual(['https://reg.example.com:443/v2/library/x/manifests/1?a=b']);
  });
  it('/v2/ reaches core with the client Host:port and the scheme', () => {
    expect(res('v2').echo).toMatchObject({ upstream: 'core', url: '/v2/_catalog', host: 'reg.example.com:8443', xForwardedProto: 'https', xRealIp: '127.0.0.1', xForwardedFor: '127.0.0.1' });
  });
  it('/api/ reaches core with the bare host; its cookies come back Secure', () => {
    expect(res('api').echo).toMatchObject({ upstream: 'core', url: '/api/v2.0/ping', host: 'reg.example.com' });
    expect(res('api').headers['set-cookie']).toEqual(['sid=stub; Path=/; Secure']);
  });
  it('everything else is the portal, whose cookies come back HttpOnly and Secure', () => {
    expect(res('portal').echo).toMatchObject({ upstream: 'portal', url: '/harbor/projects', host: 'reg.example.com:8443' });
    expect(res('portal').headers['set-cookie']).toEqual(['sid=stub; Path=/; HttpOnly; Secure']);
  });
  it('/service/ and /c/ reach core', () => {
    expect(res('service').echo).toMatchObject({ upstream: 'core', url: '/service/token?scope=x', host: 'reg.example.com:8443' });
    expect(res('c').echo).toMatchObject({ upstream: 'core', method: 'POST', url: '/c/login', host: 'reg.example.com' });
  });
  it('/v1/ and /service/notifications are 404 at the proxy', () => {
    expect(res('v1').status).toBe(404);
    expect(res('v1').echo).toBeUndefined();
    expect(res('notifications').status).toBe(404);
    expect(res('notifications').echo).toBeUndefined();
  });
  it('a load balancer\'s X-Forwarded-Proto is passed on', () => {
    expect(res('lb-proto').echo?.xForwardedProto).toBe('http');
  });
  it('sends HSTS and the framing headers', () => {
    const h = res('api').headers;
    expect(h['strict-transport-security']).toEqual(['max-age=31536000; includeSubdomains; preload']);
    expect(h['x-frame-options']).toEqual(['DENY']);
    expect(h['content-security-policy']).toEqual(["frame-ancestors 'none'"]);
    expect(h['server']).toEqual(['nginx']); // server_tokens off: no version
  });
  it('accepts a body larger than nginx\'s 1m default (image layers)', () => {
    expect(res('upload').status).toBe(200);
    expect(res('upload').echo).toMatchObject({ upstream: 'core', method: 'PATCH', bodyBytes: 3 * 1024 * 1024 });
  });
  it('metrics: ?comp= picks core/jobservice/registry on metric.port, else the exporter', () => {
    expect(res('m-core').echo).toMatchObject({ upstream: 'core', url: '/metrics?comp=core' });
    expect(res('m-js').echo).toMatchObject({ upstream: 'jobservice', url: '/metrics?comp=jobservice' });
    expect(res('m-registry').echo).toMatchObject({ upstream: 'registry', url: '/metrics?comp=registry' });
    expect(res('m-exporter').echo).toMatchObject({ upstream: 'exporter', url: '/metrics' });
  });
});

describe('http front with internal TLS to core and portal', () => {
  it('proxies over TLS, verifying the upstream name against the internal CA', async () => {
    const run = await nginxLive(frontFiles({ internalTls: true }), web(internal.leaves), [
      { name: 'api', url: 'http://reg.example.com:8080/api/v2.0/ping' },
      { name: 'v2', url: 'http://reg.example.com:8080/v2/' },
      { name: 'portal', url: 'http://reg.example.com:8080/' },
    ]);
    expect(run.responses['api']!.echo, run.log).toMatchObject({ upstream: 'core', url: '/api/v2.0/ping', host: 'reg.example.com', xForwardedProto: 'http' });
    expect(run.responses['v2']!.echo).toMatchObject({ upstream: 'core', host: 'reg.example.com:8080' });
    expect(run.responses['portal']!.echo).toMatchObject({ upstream: 'portal', url: '/' });
    // http front: no cookie rewriting
    expect(run.responses['api']!.headers['set-cookie']).toEqual(['sid=stub; Path=/']);
  });
  it('control: a core certificate issued for another name is refused (502)', async () => {
    const run = await nginxLive(frontFiles({ internalTls: true }), web({ core: internal.leaves['wrong']!, portal: internal.leaves['portal']! }), [
      { name: 'api', url: 'http://reg.example.com:8080/api/v2.0/ping' },
    ]);
    expect(run.responses['api']!.status, run.log).toBe(502);
    expect(run.responses['api']!.echo).toBeUndefined();
  });
});
