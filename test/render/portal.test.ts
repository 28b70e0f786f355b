import { beforeAll, describe, expect, it } from 'vitest';
import { portalRenderer, renderPortalConfig } from '../../src/render/components/portal.js';
import { HARBOR } from '../../src/render/types.js';
import { contextR1, type ModelR1Options } from './fixtures/model-r1.js';
import { directives, within } from './fixtures/nginx-directives-r1.js';
import { nginxTest } from './fixtures/nginx-r1.js';
import { makeCertSet, type PemPair } from './fixtures/tls-r1.js';

const conf = (o: ModelR1Options) => renderPortalConfig(contextR1(o));
const S = 'http>server';

describe('portal renderer', () => {
  it('writes common/config/portal/nginx.conf 0640 in a 0755 dir, both owned by 10000', () => {
    const entries = portalRenderer.render(contextR1());
    expect(entries).toHaveLength(2);
    expect(entries[0]).toEqual({ kind: 'dir', root: 'install', path: 'common/config/portal', mode: 0o755, owner: HARBOR, contents: 'managed' });
    expect(entries[1]).toMatchObject({ kind: 'file', root: 'install', path: 'common/config/portal/nginx.conf', mode: 0o640, owner: HARBOR });
  });

  it('without internal TLS: plain http on 8080 (ip_family does not apply)', () => {
    const d = directives(conf({ https: {}, ipFamily: { ipv4: true, ipv6: true } }));
    expect(d.filter((x) => x.text.startsWith('listen'))).toEqual([{ ctx: S, text: 'listen 8080' }]);
    expect(d.some((x) => x.text.startsWith('ssl_'))).toBe(false);
  });

  it('serves the SPA with fallbacks, gzip and an uncached index.html', () => {
    const d = directives(conf({}));
    expect(within(d, 'events')).toEqual(['worker_connections 1024']);
    expect(within(d, S)).toEqual(
      expect.arrayContaining(['server_name localhost', 'root /usr/share/nginx/html', 'index index.html index.htm', 'include /etc/nginx/mime.types', 'gzip on', 'gzip_min_length 1000']),
    );
    expect(within(d, S)).toContain(
      'gzip_types text/plain text/css application/json application/javascript application/x-javascript text/xml application/xml application/xml+rss text/javascript',
    );
    expect(within(d, `${S}>location /`)).toEqual(['try_files $uri $uri/ /index.html']);
    expect(within(d, `${S}>location /devcenter-api-2.0`)).toEqual(['try_files $uri $uri/ /swagger-ui-index.html']);
    expect(within(d, `${S}>location = /index.html`)).toEqual(['add_header Cache-Control no-store, no-cache, must-revalidate']);
    expect(within(d, 'http')).toContain('client_body_temp_path /tmp/client_body_temp');
  });

  it('with internal TLS: 8443 ssl per ip_family with the portal pair and the cipher choice', () => {
    const d = directives(conf({ internalTls: { dir: '/x', strongSslCiphers: true }, ipFamily: { ipv4: true, ipv6: true } }));
    expect(within(d, S)).toEqual(
      expect.arrayContaining([
        'listen 8443 ssl',
        'listen [::]:8443 ssl',
        'ssl_certificate /etc/harbor/tls/portal.crt',
        'ssl_certificate_key /etc/harbor/tls/portal.key',
        'ssl_protocols TLSv1.2 TLSv1.3',
        'ssl_ciphers ECDHE+AESGCM:DHE+AESGCM:ECDHE+RSA+SHA256:DHE+RSA+SHA256:!AES128',
      ]),
    );
    expect(within(directives(conf({ internalTls: true })), S)).toContain('ssl_ciphers !aNULL:kECDH+AESGCM:ECDH+AESGCM:RSA+AESGCM:kECDH+AES:ECDH+AES:RSA+AES:');
  });
});

describe('portal nginx.conf passes a real nginx -t', () => {
  let portal: PemPair;
  beforeAll(() => {
    portal = makeCertSet(['portal']).leaves['portal']!;
  });
  const variants: [string, ModelR1Options][] = [
    ['plain http', {}],
    ['internal TLS', { internalTls: true }],
    ['internal TLS, IPv6 only, strong ciphers', { internalTls: { dir: '/x', strongSslCiphers: true }, ipFamily: { ipv4: false, ipv6: true } }],
  ];
  it.each(variants)('%s', (_n, o) => {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': conf(o) };
    if (o.internalTls) Object.assign(files, { '/etc/harbor/tls/portal.crt': portal.cert, '/etc/harbor/tls/portal.key': portal.key });
    const r = nginxTest(files, {});
    expect(r.output).toContain('test is successful');
  });
  it('control: fails without the portal key', () => {
    expect(nginxTest({ '/etc/nginx/nginx.conf': conf({ internalTls: true }), '/etc/harbor/tls/portal.crt': portal.cert }, {}).ok).toBe(false);
  });
});
