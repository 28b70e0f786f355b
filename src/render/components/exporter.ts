/**
 * harbor-exporter (only with metric.enabled): common/config/exporter/env. The exporter reads job
 * queue statistics from jobservice's redis namespace and counts from the Harbor database.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { toEnvFile, type EnvEntries } from '../formats.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { CONFIG, trustMount } from '../compose/service.js';

export function exporterEnv(ctx: RenderContext): string {
  const c = ctx.config;
  const db = c.database;
  const tls = c.internalTls.enabled;
  const entries: EnvEntries = [
    ['LOG_LEVEL', c.log.level],
    // the exporter's own listener inside the compose network; nginx publishes metric.port
    ['HARBOR_EXPORTER_PORT', 8080],
    ['HARBOR_EXPORTER_METRICS_PATH', '/metrics'],
    ['HARBOR_EXPORTER_METRICS_ENABLED', 'true'],
    ['HARBOR_EXPORTER_MAX_REQUESTS', 30],
    ['HARBOR_EXPORTER_CACHE_TIME', 23],
    ['HARBOR_EXPORTER_CACHE_CLEAN_INTERVAL', 14400],
    ['HARBOR_METRIC_NAMESPACE', 'harbor'],
    ['HARBOR_METRIC_SUBSYSTEM', 'exporter'],
    ['HARBOR_SERVICE_HOST', 'core'],
    ['HARBOR_REDIS_URL', c.redis.urls.jobservice],
    ['HARBOR_REDIS_NAMESPACE', 'harbor_job_service_namespace'],
    ['HARBOR_REDIS_TIMEOUT', 3600],
    ['HARBOR_SERVICE_PORT', tls ? 8443 : 8080],
    ['HARBOR_SERVICE_SCHEME', tls ? 'https' : 'http'],
    ['HARBOR_DATABASE_HOST', db.host],
    ['HARBOR_DATABASE_PORT', db.port],
    ['HARBOR_DATABASE_USERNAME', db.username],
    ['HARBOR_DATABASE_PASSWORD', db.password],
    ['HARBOR_DATABASE_DBNAME', db.dbName],
    ['HARBOR_DATABASE_SSLMODE', db.sslMode],
    ['HARBOR_DATABASE_MAX_IDLE_CONNS', db.maxIdleConns],
    ['HARBOR_DATABASE_MAX_OPEN_CONNS', db.maxOpenConns],
    ['HARBOR_DATABASE_CONN_MAX_LIFETIME', db.connMaxLifetime],
    ['HARBOR_DATABASE_CONN_MAX_IDLE_TIME', db.connMaxIdleTime],
  ];
  return toEnvFile(entries);
}

/** harbor-exporter: Prometheus metrics, when metric.enabled. */
export const exporterService: ComposeServiceSpec = {
  name: 'exporter',
  containerName: 'harbor-exporter',
  image: 'exporter',
  noProxy: ['exporter'],
  deployed: ({ config }) => config.metric.enabled,
  body: ({ config }) => ({
    env_file: [`${CONFIG}/exporter/env`],
    // Harbor drops no capability for the exporter
    cap_add: null,
    depends_on: ['core', ...(config.database.external ? [] : ['postgresql'])],
    volumes: [trustMount()],
  }),
};

export const exporterRenderer: ComponentRenderer = {
  name: 'exporter',
  service: exporterService,
  render(ctx: RenderContext): RenderedEntry[] {
    if (!ctx.config.metric.enabled) return [];
    return [
      { kind: 'dir', root: 'install', path: 'common/config/exporter', mode: 0o755, owner: HARBOR, contents: 'managed' },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/exporter/env',
        content: exporterEnv(ctx),
        mode: 0o640,
        owner: ROOT,
        secret: true,
      },
    ];
  },
};
