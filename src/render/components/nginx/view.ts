/**
 * What the proxy's nginx.conf says, as data: which upstreams, which listeners, and how each path is
 * routed. templates/nginx/nginx.conf.eta only lays this out; every decision lives here.
 *
 * Routing facts (Harbor v2.15.2): '/' is the portal; '/c/', '/api/', '/v2/' and '/service/' are
 * core; '/v1/' (docker's dead v1 API) and '/service/notifications' (registry-to-core events, only
 * meant for the internal network) answer 404 from outside.
 */
import type { HarborConfig } from '../../../config/model.js';
import { INTERNAL_TLS_UPSTREAM, sslCiphers, tlsListens } from './tls.js';
import type { ReleaseOutput } from '../../../releases/types.js';

/** Where the rendered common/config/nginx dir is mounted inside the proxy container. */
export const NGINX_CONF_DIR = '/etc/nginx/conf.d';
/** data_volume/secret/cert, mounted at /etc/cert in the proxy container. */
export const SERVER_CERT = '/etc/cert/server.crt';
export const SERVER_KEY = '/etc/cert/server.key';

/** Container ports the proxy listens on (compose maps the host ports onto these). */
export const PROXY_HTTP_PORT = 8080;
export const PROXY_HTTPS_PORT = 8443;
export const PROXY_METRICS_PORT = 9090;

export interface Upstream {
  name: string;
  server: string;
}

export interface LocationView {
  path: string;
  notFound?: boolean;
  proxyPass?: string;
  hostHeader?: string;
  cookiePath?: string;
  /** slow endpoints (blob uploads, login callbacks): 15 minute send/read timeouts */
  longTimeouts?: boolean;
}

export interface NginxView {
  confDir: string;
  /** https only: conf.d/*.upstream.conf and *.server.conf hooks */
  hookIncludes: boolean;
  upstreams: Upstream[];
  listens: string[];
  tls?: { certificate: string; key: string; protocols: string; ciphers: string };
  locationInclude: string;
  locations: LocationView[];
  upstreamTls?: { certificate: string; key: string; trustedCa: string };
  redirect?: { listen: string; target: string };
  metrics?: {
    listen: string;
    path: string;
    upstreams: Upstream[];
    routes: { comp: string; upstream: string }[];
    fallback: string;
  };
}

interface Route {
  path: string;
  upstream: 'core' | 'portal';
  /** Host header sent upstream, per scheme of the front server */
  host: { http: string; https: string };
  /** https only: cookie attributes added by proxy_cookie_path */
  cookie?: string;
  longTimeouts: { http: boolean; https: boolean };
  /** the http timeouts only where the release's template has them (ReleaseOutput.nginx.httpConsoleTimeouts) */
  httpTimeoutsByRelease?: boolean;
}

/**
 * Harbor's routing table. The differences between the schemes are Harbor's: with https the portal
 * and /service/ get the client's Host:port ($http_host) and cookies are marked Secure, and only the
 * http variant gives /c/ long timeouts.
 */
const ROUTES: Route[] = [
  { path: '/', upstream: 'portal', host: { http: '$host', https: '$http_host' }, cookie: '/; HttpOnly; Secure', longTimeouts: { http: false, https: false } },
  { path: '/c/', upstream: 'core', host: { http: '$host', https: '$host' }, cookie: '/; Secure', longTimeouts: { http: true, https: false }, httpTimeoutsByRelease: true },
  { path: '/api/', upstream: 'core', host: { http: '$host', https: '$host' }, cookie: '/; Secure', longTimeouts: { http: false, https: false } },
  { path: '/v2/', upstream: 'core', host: { http: '$http_host', https: '$http_host' }, longTimeouts: { http: true, https: true } },
  { path: '/service/', upstream: 'core', host: { http: '$host', https: '$http_host' }, cookie: '/; Secure', longTimeouts: { http: false, https: false } },
];
const BLOCKED = ['/v1/', '/service/notifications'];

function locations(config: HarborConfig, https: boolean, out: Pick<ReleaseOutput, 'nginx'>): LocationView[] {
  const scheme = config.internalTls.enabled ? 'https' : 'http';
  const proxied: LocationView[] = ROUTES.map((r) => ({
    path: r.path,
    proxyPass: `${scheme}://${r.upstream}${r.path}`,
    hostHeader: https ? r.host.https : r.host.http,
    cookiePath: https ? r.cookie : undefined,
    longTimeouts: https ? r.longTimeouts.https : r.longTimeouts.http && (!r.httpTimeoutsByRelease || out.nginx.httpConsoleTimeouts),
  }));
  const blocked: LocationView[] = BLOCKED.map((path) => ({ path, notFound: true }));
  return [...proxied, ...blocked];
}

function metricsView(config: HarborConfig, https: boolean): NginxView['metrics'] {
  if (!config.metric.enabled) return undefined;
  const port = config.metric.port;
  return {
    listen: String(PROXY_METRICS_PORT),
    // Harbor quirk kept: the http variant always serves '= /metrics', the https one metric.path
    path: https ? config.metric.path : '/metrics',
    upstreams: [
      { name: 'core_metrics', server: `core:${port}` },
      { name: 'js_metrics', server: `jobservice:${port}` },
      { name: 'registry_metrics', server: `registry:${port}` },
      { name: 'harbor_exporter', server: 'exporter:8080' },
    ],
    routes: [
      { comp: 'core', upstream: 'core_metrics' },
      { comp: 'jobservice', upstream: 'js_metrics' },
      { comp: 'registry', upstream: 'registry_metrics' },
    ],
    fallback: 'harbor_exporter',
  };
}

export function buildNginxView(config: HarborConfig, out: Pick<ReleaseOutput, 'nginx' | 'tls'>): NginxView {
  const https = config.protocol === 'https' && config.https !== undefined;
  const tlsUp = config.internalTls.enabled;
  const upstreamPort = tlsUp ? 8443 : 8080;
  const view: NginxView = {
    confDir: NGINX_CONF_DIR,
    hookIncludes: https,
    upstreams: [
      { name: 'core', server: `core:${upstreamPort}` },
      { name: 'portal', server: `portal:${upstreamPort}` },
    ],
    listens: https ? tlsListens(config, PROXY_HTTPS_PORT, out.tls) : [String(PROXY_HTTP_PORT)],
    locationInclude: `${NGINX_CONF_DIR}/harbor.${https ? 'https' : 'http'}.*.conf`,
    locations: locations(config, https, out),
    upstreamTls: tlsUp ? { ...INTERNAL_TLS_UPSTREAM } : undefined,
    metrics: metricsView(config, https),
  };
  if (https) {
    view.tls = { certificate: SERVER_CERT, key: SERVER_KEY, protocols: out.tls.protocols, ciphers: sslCiphers(config, out.tls) };
    // the public port is always spelled out, even 443, as Harbor does
    view.redirect = { listen: String(PROXY_HTTP_PORT), target: `https://$host:${config.https!.port}$request_uri` };
  }
  return view;
}
