/**
 * The portal container's own nginx.conf (common/config/portal/nginx.conf, mounted as its
 * /etc/nginx/nginx.conf). With internal TLS the portal serves https on 8443 with its own pair from
 * the internal TLS dir; otherwise plain http on 8080, reachable only on the compose network.
 */
import type { HarborConfig } from '../../config/model.js';
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR } from '../types.js';
import { renderTemplate } from '../template.js';
import { sslCiphers, tlsListens, type ReleaseTls } from './nginx/tls.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG, internalTlsMounts } from '../compose/service.js';

export const PORTAL_DIR = 'common/config/portal';
export const PORTAL_CONF = `${PORTAL_DIR}/nginx.conf`;

/** Compressed when larger than 1000 bytes: the UI's text assets. */
const GZIP_TYPES = [
  'text/plain',
  'text/css',
  'application/json',
  'application/javascript',
  'application/x-javascript',
  'text/xml',
  'application/xml',
  'application/xml+rss',
  'text/javascript',
];

export interface PortalView {
  listens: string[];
  tls?: { certificate: string; key: string; protocols: string; ciphers: string };
  gzipTypes: string[];
}

export function buildPortalView(config: HarborConfig, releaseTls: ReleaseTls): PortalView {
  if (!config.internalTls.enabled) return { listens: ['8080'], gzipTypes: GZIP_TYPES };
  return {
    listens: tlsListens(config, 8443, releaseTls),
    tls: {
      certificate: '/etc/harbor/tls/portal.crt',
      key: '/etc/harbor/tls/portal.key',
      protocols: releaseTls.protocols,
      ciphers: sslCiphers(config, releaseTls),
    },
    gzipTypes: GZIP_TYPES,
  };
}

export function renderPortalConfig(ctx: RenderContext): string {
  return renderTemplate('portal/nginx.conf.eta', buildPortalView(ctx.config, ctx.release.output.tls));
}

/** harbor-portal: the web UI's static files, served by its own nginx. */
export const portalService: ComposeServiceSpec = {
  name: 'portal',
  containerName: 'harbor-portal',
  image: 'portal',
  tlsPair: 'portal',
  noProxy: ['portal'],
  body: ({ config }) => ({
    cap_add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
    volumes: [bind(`${CONFIG}/portal/nginx.conf`, '/etc/nginx/nginx.conf'), ...internalTlsMounts(config, 'portal', '/etc/harbor/tls')],
    depends_on: ['log'],
  }),
};

export const portalRenderer: ComponentRenderer = {
  name: 'portal',
  service: portalService,
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      { kind: 'dir', root: 'install', path: PORTAL_DIR, mode: 0o755, owner: HARBOR, contents: 'managed' },
      { kind: 'file', root: 'install', path: PORTAL_CONF, content: renderPortalConfig(ctx), mode: 0o640, owner: HARBOR },
    ];
  },
};
