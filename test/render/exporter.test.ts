/** exporter/env (goharbor/harbor make/photon/prepare at v2.15.2): only with metric.enabled. */
import { describe, it, expect } from 'vitest';
import { exporterRenderer } from '../../src/render/components/exporter.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { baseModel, ctxOf, envLines, envMap, fileAt, internalTlsModel } from './fixtures/model-r2.js';

const ENV = 'common/config/exporter/env';

describe('exporter renderer', () => {
  it('renders nothing while metrics are disabled', () => {
    expect(exporterRenderer.render(ctxOf(baseModel()))).toEqual([]);
  });

  it('metrics enabled: every variable, in order; jobservice redis URL; DB settings', () => {
    const m = baseModel();
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    const entries = exporterRenderer.render(ctxOf(m));
    expect(envLines(fileAt(entries, ENV).content)).toEqual([
      'LOG_LEVEL=info',
      'HARBOR_EXPORTER_PORT=8080',
      'HARBOR_EXPORTER_METRICS_PATH=/metrics',
      'HARBOR_EXPORTER_METRICS_ENABLED=true',
      'HARBOR_EXPORTER_MAX_REQUESTS=30',
      'HARBOR_EXPORTER_CACHE_TIME=23',
      'HARBOR_EXPORTER_CACHE_CLEAN_INTERVAL=14400',
      'HARBOR_METRIC_NAMESPACE=harbor',
      'HARBOR_METRIC_SUBSYSTEM=exporter',
      'HARBOR_SERVICE_HOST=core',
      'HARBOR_REDIS_URL=redis://redis:6379/2?idle_timeout_seconds=30',
      'HARBOR_REDIS_NAMESPACE=harbor_job_service_namespace',
      'HARBOR_REDIS_TIMEOUT=3600',
      'HARBOR_SERVICE_PORT=8080',
      'HARBOR_SERVICE_SCHEME=http',
      'HARBOR_DATABASE_HOST=postgresql',
      'HARBOR_DATABASE_PORT=5432',
      'HARBOR_DATABASE_USERNAME=postgres',
      'HARBOR_DATABASE_PASSWORD=root123',
      'HARBOR_DATABASE_DBNAME=registry',
      'HARBOR_DATABASE_SSLMODE=disable',
      'HARBOR_DATABASE_MAX_IDLE_CONNS=100',
      'HARBOR_DATABASE_MAX_OPEN_CONNS=900',
      'HARBOR_DATABASE_CONN_MAX_LIFETIME=5m',
      'HARBOR_DATABASE_CONN_MAX_IDLE_TIME=0',
    ]);
    expect([fileAt(entries, ENV).mode, fileAt(entries, ENV).owner]).toEqual([0o640, ROOT]);
    expect(entries).toContainEqual({ kind: 'dir', root: 'install', path: 'common/config/exporter', mode: 0o755, owner: HARBOR, contents: 'managed' });
  });

  it('internal TLS: core reached on 8443 over https', () => {
    const m = internalTlsModel();
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    const env = envMap(fileAt(exporterRenderer.render(ctxOf(m)), ENV).content);
    expect([env.get('HARBOR_SERVICE_PORT'), env.get('HARBOR_SERVICE_SCHEME')]).toEqual(['8443', 'https']);
  });
});
