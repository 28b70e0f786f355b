/**
 * The front proxy: common/config/nginx/nginx.conf (mounted as the container's /etc/nginx), the
 * conf.d/ dir its includes point at, and for https the server certificate and key copied into
 * data_volume/secret/cert (mounted at /etc/cert).
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { renderTemplate } from '../template.js';
import { buildNginxView } from './nginx/view.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { CONFIG, internalTlsMounts, trustMount } from '../compose/service.js';

export const NGINX_DIR = 'common/config/nginx';
export const NGINX_CONF = `${NGINX_DIR}/nginx.conf`;
export const NGINX_CONFD_DIR = `${NGINX_DIR}/conf.d`;
export const SERVER_CERT_DIR = 'secret/cert';

export function renderNginxConfig(ctx: RenderContext): string {
  return renderTemplate('nginx/nginx.conf.eta', buildNginxView(ctx.config, ctx.release.output));
}

/** nginx (service "proxy"): the only published ports, in front of core and portal. */
export const proxyService: ComposeServiceSpec = {
  name: 'proxy',
  containerName: 'nginx',
  image: 'proxy',
  tlsPair: 'proxy',
  // Harbor lists the container name, not the service name
  noProxy: ['nginx'],
  body: ({ config }) => {
    const https = config.protocol === 'https' && config.https;
    const ports = [`${config.http.port}:8080`];
    if (https) ports.push(`${https.port}:8443`);
    if (config.metric.enabled) ports.push(`${config.metric.port}:9090`);
    return {
      cap_add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
      volumes: [
        `${CONFIG}/nginx:/etc/nginx:z`,
        ...(https ? [`${config.dataVolume}/secret/cert:/etc/cert:z`] : []),
        trustMount(),
        ...internalTlsMounts(config, 'proxy', '/etc/harbor/tls'),
      ],
      ports,
      depends_on: ['registry', 'core', 'portal', 'log'],
    };
  },
};

export const nginxRenderer: ComponentRenderer = {
  name: 'nginx',
  service: proxyService,
  render(ctx: RenderContext): RenderedEntry[] {
    const entries: RenderedEntry[] = [
      // Harbor only creates this as conf.d's parent: root-owned
      { kind: 'dir', root: 'install', path: NGINX_DIR, mode: 0o755, owner: ROOT, contents: 'managed' },
      // The operator's drop-ins (harbor.<scheme>.*.conf locations, *.upstream.conf, *.server.conf)
      // belong here, so regctl does not claim the contents: 'keep' asks the writer to spare them
      // (Harbor's prepare deletes them on every run).
      { kind: 'dir', root: 'install', path: NGINX_CONFD_DIR, mode: 0o755, owner: HARBOR, contents: 'keep' },
      { kind: 'file', root: 'install', path: NGINX_CONF, content: renderNginxConfig(ctx), mode: 0o640, owner: HARBOR },
    ];
    const https = ctx.config.protocol === 'https' ? ctx.config.https : undefined;
    if (https) {
      entries.push(
        // recreated from the configured files on every run: a replaced certificate is picked up
        { kind: 'dir', root: 'data', path: SERVER_CERT_DIR, mode: 0o755, owner: HARBOR, contents: 'managed' },
        { kind: 'copy', root: 'data', path: `${SERVER_CERT_DIR}/server.crt`, from: https.certificate, mode: 0o600, owner: HARBOR },
        { kind: 'copy', root: 'data', path: `${SERVER_CERT_DIR}/server.key`, from: https.privateKey, mode: 0o600, owner: HARBOR, secret: true },
      );
    }
    return entries;
  },
};
