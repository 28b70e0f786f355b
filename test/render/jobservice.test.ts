/** jobservice/env and jobservice/config.yml against Harbor v2.15.2 (goharbor/harbor make/photon/prepare at v2.15.2). */
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { jobserviceRenderer } from '../../src/render/components/jobservice.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import type { HarborConfig } from '../../src/config/model.js';
import { baseModel, ctxOf, envLines, fileAt, internalTlsModel, INTERNAL_NO_PROXY } from './fixtures/model-r2.js';

const ENV = 'common/config/jobservice/env';
const CONFIG = 'common/config/jobservice/config.yml';

const envOf = (m: HarborConfig) => envLines(fileAt(jobserviceRenderer.render(ctxOf(m)), ENV).content);
const configOf = (m: HarborConfig): any => parse(fileAt(jobserviceRenderer.render(ctxOf(m)), CONFIG).content.toString());

describe('jobservice env', () => {
  it('the shipped harbor.yml, in order', () => {
    expect(envOf(baseModel())).toEqual([
      'CORE_SECRET=CoreSecret000001',
      'REGISTRY_URL=http://registry:5000',
      'JOBSERVICE_SECRET=JobSecret0000002',
      'CORE_URL=http://core:8080',
      'REGISTRY_CONTROLLER_URL=http://registryctl:8080',
      'JOBSERVICE_WEBHOOK_JOB_MAX_RETRY=3',
      'JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT=3',
      'LOG_LEVEL=info',
      'HTTP_PROXY=',
      'HTTPS_PROXY=',
      `NO_PROXY=${INTERNAL_NO_PROXY}`,
      'REGISTRY_CREDENTIAL_USERNAME=harbor_registry_user',
      'REGISTRY_CREDENTIAL_PASSWORD=RegistryPassword0000000000000003',
    ]);
  });

  it('internal TLS, proxy, metric, trace and cache groups', () => {
    const m = internalTlsModel();
    m.log.level = 'warning';
    m.proxy = { httpProxy: 'http://p:3128', httpsProxy: 'http://p:3128', noProxy: INTERNAL_NO_PROXY, components: ['jobservice'] };
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    m.trace = { enabled: true, sampleRate: 1, namespace: '', attributes: { a: 'b' }, jaeger: { agentHost: 'jaeger', agentPort: 6831 } };
    m.cache = { enabled: true, expireHours: 24 };
    m.redis.urls.cacheLayer = 'redis://redis:6379/7?idle_timeout_seconds=30';
    expect(envOf(m)).toEqual([
      'CORE_SECRET=CoreSecret000001',
      'REGISTRY_URL=https://registry:5443',
      'JOBSERVICE_SECRET=JobSecret0000002',
      'CORE_URL=https://core:8443',
      'REGISTRY_CONTROLLER_URL=https://registryctl:8443',
      'JOBSERVICE_WEBHOOK_JOB_MAX_RETRY=3',
      'JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT=3',
      'LOG_LEVEL=warning',
      'INTERNAL_TLS_ENABLED=true',
      'INTERNAL_TLS_TRUST_CA_PATH=/harbor_cust_cert/harbor_internal_ca.crt',
      'INTERNAL_TLS_KEY_PATH=/etc/harbor/ssl/job_service.key',
      'INTERNAL_TLS_CERT_PATH=/etc/harbor/ssl/job_service.crt',
      'HTTP_PROXY=http://p:3128',
      'HTTPS_PROXY=http://p:3128',
      `NO_PROXY=${INTERNAL_NO_PROXY}`,
      'REGISTRY_CREDENTIAL_USERNAME=harbor_registry_user',
      'REGISTRY_CREDENTIAL_PASSWORD=RegistryPassword0000000000000003',
      'METRIC_NAMESPACE=harbor',
      'METRIC_SUBSYSTEM=jobservice',
      'TRACE_ENABLED=true',
      'TRACE_SERVICE_NAME=harbor-jobservice',
      'TRACE_SAMPLE_RATE=1',
      'TRACE_NAMESPACE=',
      'TRACE_ATTRIBUTES={"a": "b"}',
      'TRACE_JAEGER_ENDPOINT=',
      'TRACE_JAEGER_USERNAME=',
      'TRACE_JAEGER_PASSWORD=',
      'TRACE_JAEGER_AGENT_HOSTNAME=jaeger',
      'TRACE_JAEGER_AGENT_PORT=6831',
      '_REDIS_URL_CORE=redis://redis:6379?idle_timeout_seconds=30',
      '_REDIS_URL_CACHE_LAYER=redis://redis:6379/7?idle_timeout_seconds=30',
      'CACHE_ENABLED=true',
      'CACHE_EXPIRE_HOURS=24',
    ]);
  });
});

describe('jobservice config.yml', () => {
  it('the shipped harbor.yml: http 8080, redis pool on the jobservice URL, STD_OUTPUT + FILE loggers', () => {
    expect(configOf(baseModel())).toEqual({
      protocol: 'http',
      port: 8080,
      worker_pool: {
        workers: 10,
        backend: 'redis',
        redis_pool: {
          redis_url: 'redis://redis:6379/2?idle_timeout_seconds=30',
          namespace: 'harbor_job_service_namespace',
          idle_timeout_second: 3600,
        },
      },
      job_loggers: [
        { name: 'STD_OUTPUT', level: 'INFO' },
        {
          name: 'FILE',
          level: 'INFO',
          settings: { base_dir: '/var/log/jobs' },
          sweeper: { duration: 1, settings: { work_dir: '/var/log/jobs' } },
        },
      ],
      loggers: [{ name: 'STD_OUTPUT', level: 'INFO' }],
      reaper: { max_update_hours: 24, max_dangling_hours: 168 },
      max_retrieve_size_mb: 10,
    });
  });

  it('DB logger, upper-case level, metric block, reaper hours, workers', () => {
    const m = baseModel();
    m.log.level = 'warning';
    m.jobservice = { maxJobWorkers: 4, maxJobDurationHours: 48, jobLoggers: ['DB', 'STD_OUTPUT'], loggerSweeperDuration: 3 };
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    const doc = configOf(m);
    expect(doc.job_loggers).toEqual([
      { name: 'DB', level: 'WARNING', sweeper: { duration: 3 } },
      { name: 'STD_OUTPUT', level: 'WARNING' },
    ]);
    expect(doc.loggers).toEqual([{ name: 'STD_OUTPUT', level: 'WARNING' }]);
    expect(doc.metric).toEqual({ enabled: true, path: '/metrics', port: 9090 });
    expect(doc.reaper.max_update_hours).toBe(48);
    expect(doc.worker_pool.workers).toBe(4);
  });

  it('internal TLS: https on 8443 with the job_service pair', () => {
    const doc = configOf(internalTlsModel());
    expect([doc.protocol, doc.port, doc.https_config]).toEqual([
      'https', 8443, { cert: '/etc/harbor/ssl/job_service.crt', key: '/etc/harbor/ssl/job_service.key' },
    ]);
  });

  it('modes/owners: dir and config.yml harbor, env root, job_logs data dir', () => {
    const entries = jobserviceRenderer.render(ctxOf(baseModel()));
    expect([fileAt(entries, ENV).mode, fileAt(entries, ENV).owner]).toEqual([0o640, ROOT]);
    expect([fileAt(entries, CONFIG).mode, fileAt(entries, CONFIG).owner]).toEqual([0o640, HARBOR]);
    expect(entries).toContainEqual({ kind: 'dir', root: 'install', path: 'common/config/jobservice', mode: 0o755, owner: HARBOR, contents: 'managed' });
    expect(entries).toContainEqual({ kind: 'dir', root: 'data', path: 'job_logs', mode: 0o755, owner: HARBOR, contents: 'keep' });
  });
});
