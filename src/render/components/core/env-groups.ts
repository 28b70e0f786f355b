/**
 * Env-file groups that several Harbor components share (core defines them first; jobservice,
 * registryctl and the trivy adapter repeat them with their own names): outbound proxy, tracing,
 * and the Python spellings Harbor's env files use for booleans and JSON.
 */
import type { HarborConfig, TraceConfig } from '../../../config/model.js';
import type { EnvEntries } from '../../formats.js';
import { pyBool } from '../../formats.js';
import type { HarborRelease } from '../../../releases/types.js';

/** Container paths every component uses for its internal-TLS material. */
export const INTERNAL_CA_IN_CONTAINER = '/harbor_cust_cert/harbor_internal_ca.crt';

/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY for one component. Components not listed in
 * proxy.components still get the three variables, empty, so a proxy set in the Docker daemon's
 * environment does not leak into them.
 */
export function proxyEnv(config: HarborConfig, component: string, release: HarborRelease): EnvEntries {
  const on = config.proxy.components.includes(component);
  return [
    ['HTTP_PROXY', on ? config.proxy.httpProxy : ''],
    ['HTTPS_PROXY', on ? config.proxy.httpsProxy : ''],
    ['NO_PROXY', on ? noProxyFor(config, release) : ''],
  ];
}

/**
 * The model's NO_PROXY (user entries and the names of every line's services) plus the names of the
 * services only this release has (v2.8.6: notary-server, notary-signer, with or without --with-notary).
 */
function noProxyFor(config: HarborConfig, release: HarborRelease): string {
  const extra = release.output.proxy.internalNoProxyExtra;
  if (extra.length === 0) return config.proxy.noProxy;
  return [...new Set([...config.proxy.noProxy.split(',').filter(Boolean), ...extra])].sort().join(',');
}

/** TRACE_* variables of one component; nothing when tracing is off. */
export function traceEnv(trace: TraceConfig, serviceName: string): EnvEntries {
  if (!trace.enabled) return [];
  const out: [string, string | number][] = [
    ['TRACE_ENABLED', 'true'],
    ['TRACE_SERVICE_NAME', serviceName],
    ['TRACE_SAMPLE_RATE', trace.sampleRate],
    ['TRACE_NAMESPACE', trace.namespace],
    ['TRACE_ATTRIBUTES', pyJson(trace.attributes)],
  ];
  if (trace.jaeger) {
    const j = trace.jaeger;
    out.push(
      ['TRACE_JAEGER_ENDPOINT', j.endpoint || ''],
      ['TRACE_JAEGER_USERNAME', j.username || ''],
      ['TRACE_JAEGER_PASSWORD', j.password || ''],
      ['TRACE_JAEGER_AGENT_HOSTNAME', j.agentHost || ''],
      ['TRACE_JAEGER_AGENT_PORT', j.agentPort || ''],
    );
  }
  if (trace.otel) {
    const o = trace.otel;
    out.push(
      ['TRACE_OTEL_ENDPOINT', o.endpoint],
      ['TRACE_OTEL_URL_PATH', o.urlPath || ''],
      ['TRACE_OTEL_COMPRESSION', pyBool(o.compression)],
      ['TRACE_OTEL_TIMEOUT', o.timeout],
      ['TRACE_OTEL_INSECURE', pyBool(o.insecure)],
    );
  }
  return out;
}

/**
 * JSON as Python's json.dumps writes it by default (", " and ": " separators, non-ASCII escaped),
 * so TRACE_ATTRIBUTES reads exactly as in an official install. Go's json decoder accepts both forms.
 */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    case 'number':
      return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyJson(k)}: ${pyJson(v)}`);
      return `{${parts.join(', ')}}`;
    }
    default:
      return JSON.stringify(String(value));
  }
}

/** Harbor's log levels as the Go distribution (registry, registryctl) spells them. */
export function distributionLogLevel(level: HarborConfig['log']['level']): string {
  return level === 'warning' ? 'warn' : level;
}
