import { beforeAll, describe, expect, it } from 'vitest';
import { nginxRenderer, renderNginxConfig } from '../../src/render/components/nginx.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { contextR1, type ModelR1Options } from './fixtures/model-r1.js';
import { directives, within } from './fixtures/nginx-directives-r1.js';
import { COMPOSE_HOSTS, nginxTest } from './fixtures/nginx-r1.js';
import { makeCertSet, type PemPair } from './fixtures/tls-r1.js';

const conf = (o: ModelR1Options) => renderNginxConfig(contextR1(o));
const ds = (o: ModelR1Options) => directives(conf(o));

const PROXIED = ['/', '/c/', '/api/', '/v2/', '/service/'];

describe('nginx renderer: entries', () => {
  it('http: the config file, its dir and conf.d, no certificate copies', () => {
    const entries = nginxRenderer.render(contextR1());
    expect(entries.map((e) => `${e.kind} ${e.root}:${e.path}`)).toEqual([
      'dir install:common/config/nginx',
      'dir install:common/config/nginx/conf.d',
      'file install:common/config/nginx/nginx.conf',
    ]);
    const [nginxDir, confd, file] = entries;
    expect(nginxDir).toMatchObject({ mode: 0o755, owner: ROOT, contents: 'managed' });
    // operator drop-ins in conf.d survive prepare (Harbor deletes them)
    expect(confd).toMatchObject({ mode: 0o755, owner: HARBOR, contents: 'keep' });
    expect(file).toMatchObject({ mode: 0o640, owner: HARBOR });
  });

  it('https: copies certificate and key into data_volume/secret/cert, 0600 uid 10000', () => {
    const entries = nginxRenderer.render(contextR1({ https: { certificate: '/srv/c.pem', privateKey: '/srv/k.pem' } }));
    const data = entries.filter((e) => e.root === 'data');
    expect(data).toEqual([
      { kind: 'dir', root: 'data', path: 'secret/cert', mode: 0o755, owner: HARBOR, contents: 'managed' },
      { kind: 'copy', root: 'data', path: 'secret/cert/server.crt', from: '/srv/c.pem', mode: 0o600, owner: HARBOR },
      { kind: 'copy', root: 'data', path: 'secret/cert/server.key', from: '/srv/k.pem', mode: 0o600, owner: HARBOR, secret: true },
    ]);
  });

  it('is pure: the same model renders the same bytes', () => {
    expect(conf({ https: {}, metric: {} })).toBe(conf({ https: {}, metric: {} }));
  });
});

describe('nginx.conf: http variant', () => {
  const d = ds({});
  it('listens on 8080 only, no TLS and no redirect server', () => {
    expect(within(d, 'http>server')).toContain('listen 8080');
    expect(d.filter((x) => x.text.startsWith('listen'))).toEqual([{ ctx: 'http>server', text: 'listen 8080' }]);
    expect(d.some((x) => x.text.startsWith('ssl_') || x.text.startsWith('return 308'))).toBe(false);
    expect(within(d, 'http>server')).toContain('include /etc/nginx/conf.d/harbor.http.*.conf');
    expect(d.some((x) => x.text.includes('.upstream.conf') || x.text.includes('.server.conf'))).toBe(false);
  });
  it('routes / to the portal and the API paths to core over plain http', () => {
    expect(within(d, 'http>upstream core')).toEqual(['server core:8080']);
    expect(within(d, 'http>upstream portal')).toEqual(['server portal:8080']);
    for (const p of PROXIED) {
      const target = p === '/' ? 'portal' : 'core';
      expect(within(d, `http>server>location ${p}`)).toContain(`proxy_pass http://${target}${p}`);
      expect(within(d, `http>server>location ${p}`)).toContain('proxy_request_buffering off');
    }
    expect(within(d, 'http>server>location /v1/')).toEqual(['return 404']);
    expect(within(d, 'http>server>location /service/notifications')).toEqual(['return 404']);
  });
  it('sends the client Host:port only on /v2/, and long timeouts on /c/ and /v2/', () => {
    expect(within(d, 'http>server>location /v2/')).toContain('proxy_set_header Host $http_host');
    for (const p of ['/', '/c/', '/api/', '/service/']) expect(within(d, `http>server>location ${p}`)).toContain('proxy_set_header Host $host');
    for (const p of ['/c/', '/v2/']) expect(within(d, `http>server>location ${p}`)).toContain('proxy_read_timeout 900');
    expect(within(d, 'http>server>location /api/')).not.toContain('proxy_read_timeout 900');
    expect(d.some((x) => x.text.startsWith('proxy_cookie_path'))).toBe(false);
  });
  it('has the unlimited body size and the framing headers', () => {
    const s = within(d, 'http>server');
    expect(s).toEqual(expect.arrayContaining(['client_max_body_size 0', 'server_tokens off', 'add_header X-Frame-Options DENY', "add_header Content-Security-Policy frame-ancestors 'none'"]));
  });
});

describe('nginx.conf: https variant', () => {
  const d = ds({ https: { port: 443 } });
  it('terminates TLS on 8443 with the copied pair and the compatible cipher list', () => {
    const s = within(d, 'http>server');
    expect(s).toEqual(
      expect.arrayContaining([
        'listen 8443 ssl',
        'ssl_certificate /etc/cert/server.crt',
        'ssl_certificate_key /etc/cert/server.key',
        'ssl_protocols TLSv1.2 TLSv1.3',
        'ssl_ciphers !aNULL:kECDH+AESGCM:ECDH+AESGCM:RSA+AESGCM:kECDH+AES:ECDH+AES:RSA+AES:',
        'chunked_transfer_encoding on',
        'add_header Strict-Transport-Security max-age=31536000; includeSubdomains; preload',
        'include /etc/nginx/conf.d/harbor.https.*.conf',
      ]),
    );
    expect(s).not.toContain('listen [::]:8443 ssl');
    expect(within(d, 'http')).toEqual(expect.arrayContaining(['include /etc/nginx/conf.d/*.upstream.conf', 'include /etc/nginx/conf.d/*.server.conf']));
  });
  it('redirects plain http with 308, always naming the port (even 443)', () => {
    expect(within(d, 'http>server#2')).toEqual(['listen 8080', 'return 308 https://$host:443$request_uri']);
    expect(within(ds({ https: { port: 8443 }, httpPort: 8080 }), 'http>server#2')).toContain('return 308 https://$host:8443$request_uri');
  });
  it('marks cookies Secure (HttpOnly on the portal) and passes Host:port on /, /v2/ and /service/', () => {
    expect(within(d, 'http>server>location /')).toEqual(expect.arrayContaining(['proxy_cookie_path / /; HttpOnly; Secure', 'proxy_set_header Host $http_host']));
    for (const p of ['/c/', '/api/', '/service/']) expect(within(d, `http>server>location ${p}`)).toContain('proxy_cookie_path / /; Secure');
    expect(within(d, 'http>server>location /v2/').some((x) => x.startsWith('proxy_cookie_path'))).toBe(false);
    expect(within(d, 'http>server>location /service/')).toContain('proxy_set_header Host $http_host');
    expect(within(d, 'http>server>location /c/')).toContain('proxy_set_header Host $host');
    // Harbor's https variant keeps the long timeouts on /v2/ only
    expect(within(d, 'http>server>location /v2/')).toContain('proxy_send_timeout 900');
    expect(within(d, 'http>server>location /c/')).not.toContain('proxy_send_timeout 900');
  });
  it('strong_ssl_ciphers selects the forward-secret list', () => {
    expect(within(ds({ https: { strongSslCiphers: true } }), 'http>server')).toContain('ssl_ciphers ECDHE+AESGCM:DHE+AESGCM:ECDHE+RSA+SHA256:DHE+RSA+SHA256:!AES128');
  });
  it('ip_family decides the TLS listeners; the redirect stays on IPv4 8080', () => {
    const both = ds({ https: {}, ipFamily: { ipv4: true, ipv6: true } });
    expect(within(both, 'http>server').filter((x) => x.startsWith('listen'))).toEqual(['listen 8443 ssl', 'listen [::]:8443 ssl']);
    const v6 = ds({ https: {}, ipFamily: { ipv4: false, ipv6: true } });
    expect(within(v6, 'http>server').filter((x) => x.startsWith('listen'))).toEqual(['listen [::]:8443 ssl']);
    expect(within(v6, 'http>server#2')).toContain('listen 8080');
  });
});

describe('nginx.conf: internal TLS and metrics', () => {
  it('internal TLS: upstreams on 8443 over https, each location verifies them against the internal CA', () => {
    for (const https of [undefined, {}]) {
      const d = ds({ https, internalTls: true });
      expect(within(d, 'http>upstream core')).toEqual(['server core:8443']);
      expect(within(d, 'http>upstream portal')).toEqual(['server portal:8443']);
      for (const p of PROXIED) {
        expect(within(d, `http>server>location ${p}`)).toEqual(
          expect.arrayContaining([
            `proxy_pass https://${p === '/' ? 'portal' : 'core'}${p}`,
            'proxy_ssl_certificate /etc/harbor/tls/proxy.crt',
            'proxy_ssl_certificate_key /etc/harbor/tls/proxy.key',
            'proxy_ssl_trusted_certificate /harbor_cust_cert/harbor_internal_ca.crt',
            'proxy_ssl_verify on',
            'proxy_ssl_verify_depth 2',
            'proxy_ssl_session_reuse on',
          ]),
        );
      }
    }
  });
  it('metrics: a 9090 server dispatching ?comp= to the component upstreams on metric.port', () => {
    const d = ds({ https: {}, metric: { port: 9191, path: '/metrics' } });
    expect(within(d, 'http>upstream core_metrics')).toEqual(['server core:9191']);
    expect(within(d, 'http>upstream js_metrics')).toEqual(['server jobservice:9191']);
    expect(within(d, 'http>upstream registry_metrics')).toEqual(['server registry:9191']);
    expect(within(d, 'http>upstream harbor_exporter')).toEqual(['server exporter:8080']);
    expect(within(d, 'http>server#3')).toEqual(['listen 9090']);
    expect(within(d, 'http>server#3>location = /metrics')).toEqual(['proxy_pass http://harbor_exporter']);
    expect(within(d, 'http>server#3>location = /metrics>if ($arg_comp = core)')).toEqual(['proxy_pass http://core_metrics']);
    expect(within(d, 'http>server#3>location = /metrics>if ($arg_comp = jobservice)')).toEqual(['proxy_pass http://js_metrics']);
    expect(within(d, 'http>server#3>location = /metrics>if ($arg_comp = registry)')).toEqual(['proxy_pass http://registry_metrics']);
  });
  it('metrics path: https uses metric.path, http always /metrics (as Harbor does)', () => {
    expect(within(ds({ https: {}, metric: { path: '/m' } }), 'http>server#3>location = /m')).toEqual(['proxy_pass http://harbor_exporter']);
    expect(within(ds({ metric: { path: '/m' } }), 'http>server#2>location = /metrics')).toEqual(['proxy_pass http://harbor_exporter']);
  });
  it('no metrics server when metrics are off', () => {
    expect(ds({ https: {} }).some((x) => x.ctx.includes('upstream core_metrics') || x.text === 'listen 9090')).toBe(false);
  });
});

describe('nginx -t (real Debian nginx, chrooted in a private mount namespace)', () => {
  let server: PemPair;
  let internal: { ca: PemPair; leaves: Record<string, PemPair> };
  beforeAll(() => {
    server = makeCertSet(['reg.example.com']).leaves['reg.example.com']!;
    internal = makeCertSet(['proxy', 'portal']);
  });

  /** What the proxy container sees: our nginx.conf, /etc/cert from secret/cert, the TLS dir, the trust dir. */
  function proxyFiles(o: ModelR1Options): Record<string, string> {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': conf(o) };
    if (o.https) Object.assign(files, { '/etc/cert/server.crt': server.cert, '/etc/cert/server.key': server.key });
    if (o.internalTls) {
      Object.assign(files, {
        '/etc/harbor/tls/proxy.crt': internal.leaves['proxy']!.cert,
        '/etc/harbor/tls/proxy.key': internal.leaves['proxy']!.key,
        '/harbor_cust_cert/harbor_internal_ca.crt': internal.ca.cert,
      });
    }
    return files;
  }

  const variants: [string, ModelR1Options][] = [
    ['http', {}],
    ['https', { https: {} }],
    ['https, custom ports, strong ciphers', { https: { port: 8443, strongSslCiphers: true }, httpPort: 8080 }],
    ['http + metrics', { metric: {} }],
    ['https + metrics on a custom path', { https: {}, metric: { port: 9191, path: '/harbor-metrics' } }],
    ['https, IPv4 + IPv6', { https: {}, ipFamily: { ipv4: true, ipv6: true } }],
    ['https, IPv6 only', { https: {}, ipFamily: { ipv4: false, ipv6: true } }],
    ['http + internal TLS', { internalTls: true }],
    ['https + internal TLS + metrics + IPv6', { https: {}, internalTls: true, metric: {}, ipFamily: { ipv4: true, ipv6: true } }],
  ];
  it.each(variants)('%s passes nginx -t', (_name, o) => {
    const r = nginxTest(proxyFiles(o));
    expect(r.output).toContain('test is successful');
    expect(r.ok).toBe(true);
  });

  // controls: the harness really fails when the container would (so a pass above means something)
  it('fails when an upstream name does not resolve (exporter missing from hosts)', () => {
    const { exporter: _dropped, ...hosts } = COMPOSE_HOSTS;
    const r = nginxTest(proxyFiles({ metric: {} }), hosts);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('host not found in upstream "exporter:8080"');
  });
  it('fails when the https pair is missing from /etc/cert', () => {
    const files = proxyFiles({ https: {} });
    delete files['/etc/cert/server.key'];
    const r = nginxTest(files);
    expect(r.ok).toBe(false);
    expect(r.output).toContain('/etc/cert/server.key');
  });
  it('fails when the internal CA is missing from /harbor_cust_cert', () => {
    const files = proxyFiles({ internalTls: true });
    delete files['/harbor_cust_cert/harbor_internal_ca.crt'];
    expect(nginxTest(files).ok).toBe(false);
  });
});
