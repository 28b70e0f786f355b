/**
 * jobservice: common/config/jobservice/env (secrets, internal URLs, proxy, tracing, cache) and
 * config.yml (listener, redis worker pool, job loggers, reaper), plus the job log dir.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { toEnvFile, toYaml, type EnvEntries } from '../formats.js';
import { REGISTRY_USER_NAME } from '../../secrets/types.js';
import { INTERNAL_CA_IN_CONTAINER, proxyEnv, traceEnv } from './core/env-groups.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG, internalTlsMounts, trustMount } from '../compose/service.js';

/** Inside the jobservice container: job logs (FILE logger) live on the job_logs data dir. */
const JOB_LOG_DIR = '/var/log/jobs';

export function jobserviceEnv(ctx: RenderContext): string {
  const { config: c, secrets: s } = ctx;
  const entries: EnvEntries = [
    ['CORE_SECRET', s.coreSecret],
    ['REGISTRY_URL', c.urls.registry],
    ['JOBSERVICE_SECRET', s.jobserviceSecret],
    ['CORE_URL', c.urls.core],
    ['REGISTRY_CONTROLLER_URL', c.urls.registryController],
    ['JOBSERVICE_WEBHOOK_JOB_MAX_RETRY', c.notification.webhookJobMaxRetry],
    ['JOBSERVICE_WEBHOOK_JOB_HTTP_CLIENT_TIMEOUT', c.notification.webhookJobHttpClientTimeout],
    ...(ctx.release.output.jobservice.logLevelEnv ? ([['LOG_LEVEL', c.log.level]] as const) : []),
    ...(c.internalTls.enabled
      ? ([
          ['INTERNAL_TLS_ENABLED', 'true'],
          ['INTERNAL_TLS_TRUST_CA_PATH', INTERNAL_CA_IN_CONTAINER],
          ['INTERNAL_TLS_KEY_PATH', '/etc/harbor/ssl/job_service.key'],
          ['INTERNAL_TLS_CERT_PATH', '/etc/harbor/ssl/job_service.crt'],
        ] as const)
      : []),
    ...proxyEnv(c, 'jobservice', ctx.release),
    ['REGISTRY_CREDENTIAL_USERNAME', REGISTRY_USER_NAME],
    ['REGISTRY_CREDENTIAL_PASSWORD', s.registryPassword],
    // v2.13 only: hours (already raised to at least 24, configs.py) in seconds
    ...(ctx.release.output.jobservice.maxJobDurationSeconds ? ([['MAX_JOB_DURATION_SECONDS', c.jobservice.maxJobDurationHours * 3600]] as const) : []),
    ...(c.metric.enabled
      ? ([
          ['METRIC_NAMESPACE', 'harbor'],
          ['METRIC_SUBSYSTEM', 'jobservice'],
        ] as const)
      : []),
    ...traceEnv(c.trace, 'harbor-jobservice'),
    ...(c.cache.enabled
      ? ([
          ['_REDIS_URL_CORE', c.redis.urls.core],
          ['_REDIS_URL_CACHE_LAYER', c.redis.urls.cacheLayer],
          ['CACHE_ENABLED', 'true'],
          ['CACHE_EXPIRE_HOURS', c.cache.expireHours],
        ] as const)
      : []),
  ];
  return toEnvFile(entries);
}

/** v2.8.6's templates/jobservice/config.yml.jinja: STD_OUTPUT then FILE, whatever harbor.yml says */
const FIXED_JOB_LOGGERS: readonly string[] = ['STD_OUTPUT', 'FILE'];

/** One job_loggers entry per configured backend, in the configured order; unknown names are skipped. */
function jobLogger(name: string, level: string, sweeperDays: number): Record<string, unknown> | undefined {
  switch (name) {
    case 'STD_OUTPUT':
      return { name, level };
    case 'FILE':
      return {
        name,
        level,
        settings: { base_dir: JOB_LOG_DIR },
        sweeper: { duration: sweeperDays, settings: { work_dir: JOB_LOG_DIR } },
      };
    case 'DB':
      return { name, level, sweeper: { duration: sweeperDays } };
    default:
      return undefined;
  }
}

export function jobserviceConfig(ctx: RenderContext): Record<string, unknown> {
  const c = ctx.config;
  // jobservice's logger wants upper-case levels (INFO, WARNING, ...)
  const level = c.log.level.toUpperCase();
  const listen = c.internalTls.enabled
    ? {
        protocol: 'https',
        https_config: { cert: '/etc/harbor/ssl/job_service.crt', key: '/etc/harbor/ssl/job_service.key' },
        port: 8443,
      }
    : { protocol: 'http', port: 8080 };
  const out = ctx.release.output.jobservice;
  const loggers = (out.configurableLoggers ? c.jobservice.jobLoggers : FIXED_JOB_LOGGERS)
    .map((n) => jobLogger(n, level, c.jobservice.loggerSweeperDuration))
    .filter((l): l is Record<string, unknown> => l !== undefined);
  return {
    ...listen,
    worker_pool: {
      workers: c.jobservice.maxJobWorkers,
      backend: 'redis',
      redis_pool: {
        redis_url: c.redis.urls.jobservice,
        namespace: 'harbor_job_service_namespace',
        idle_timeout_second: 3600,
      },
    },
    job_loggers: loggers,
    loggers: [{ name: 'STD_OUTPUT', level }],
    ...(c.metric.enabled ? { metric: { enabled: true, path: c.metric.path, port: c.metric.port } } : {}),
    reaper: {
      // hours a running task may go without an update before it is marked as failed
      max_update_hours: out.maxUpdateHoursFromConfig ? c.jobservice.maxJobDurationHours : 24,
      max_dangling_hours: 168,
    },
    max_retrieve_size_mb: 10,
  };
}

/** harbor-jobservice: replication, garbage collection, scans and other background jobs. */
export const jobserviceService: ComposeServiceSpec = {
  name: 'jobservice',
  containerName: 'harbor-jobservice',
  image: 'jobservice',
  // gencert names the pair with an underscore
  tlsPair: 'job_service',
  noProxy: ['jobservice'],
  body: ({ config }) => ({
    env_file: [`${CONFIG}/jobservice/env`],
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [
      `${config.dataVolume}/job_logs:/var/log/jobs:z`,
      bind(`${CONFIG}/jobservice/config.yml`, '/etc/jobservice/config.yml'),
      trustMount(),
      ...internalTlsMounts(config, 'job_service', '/etc/harbor/ssl'),
    ],
    depends_on: ['core'],
  }),
};

export const jobserviceRenderer: ComponentRenderer = {
  name: 'jobservice',
  service: jobserviceService,
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      { kind: 'dir', root: 'data', path: 'job_logs', mode: 0o755, owner: HARBOR, contents: 'keep' },
      { kind: 'dir', root: 'install', path: 'common/config/jobservice', mode: 0o755, owner: HARBOR, contents: 'managed' },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/jobservice/env',
        content: jobserviceEnv(ctx),
        mode: 0o640,
        owner: ROOT,
        secret: true,
      },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/jobservice/config.yml',
        content: toYaml(jobserviceConfig(ctx)),
        mode: 0o640,
        owner: HARBOR,
        secret: true, // the redis URL may carry a password
      },
    ];
  },
};
