/**
 * Harbor core: common/config/core/env (every setting core reads from its environment, secrets
 * included), core/app.conf (Beego), the certificates dir mounted at /etc/core/certificates, and the
 * data dir the portal's "Download CA" serves from.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { toEnvFile, pyBool, type EnvEntries } from '../formats.js';
import { renderTemplate } from '../template.js';
import { REGISTRY_USER_NAME } from '../../secrets/types.js';
import { INTERNAL_CA_IN_CONTAINER, proxyEnv, traceEnv } from './core/env-groups.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG, internalTlsMounts, trustMount } from '../compose/service.js';

/** where core reaches notary-server on the harbor-notary network (v2.8.6 utils/configs.py) */
export const NOTARY_URL = 'http://notary-server:4443';

export function coreEnv(ctx: RenderContext): string {
  const { config: c, secrets: s, options } = ctx;
  // the release's fixed lists and the lines only some releases write (src/releases/)
  const out = ctx.release.output.core;
  const db = c.database;
  const tls = c.internalTls.enabled;
  const entries: EnvEntries = [
    ['CONFIG_PATH', '/etc/core/app.conf'],
    ['UAA_CA_ROOT', '/etc/core/certificates/uaa_ca.pem'],
    ['_REDIS_URL_CORE', c.redis.urls.core],
    ['_REDIS_URL_HARBOR', c.redis.urls.harbor],
    ...(out.syncQuota ? ([['SYNC_QUOTA', 'true']] as const) : []),
    ['_REDIS_URL_REG', c.redis.urls.registry],
    ['LOG_LEVEL', c.log.level],
    ['EXT_ENDPOINT', c.publicUrl],
    ['DATABASE_TYPE', 'postgresql'],
    ['POSTGRESQL_HOST', db.host],
    ['POSTGRESQL_PORT', db.port],
    ['POSTGRESQL_USERNAME', db.username],
    ['POSTGRESQL_PASSWORD', db.password],
    ['POSTGRESQL_DATABASE', db.dbName],
    ['POSTGRESQL_SSLMODE', db.sslMode],
    ['POSTGRESQL_MAX_IDLE_CONNS', db.maxIdleConns],
    ['POSTGRESQL_MAX_OPEN_CONNS', db.maxOpenConns],
    ['POSTGRESQL_CONN_MAX_LIFETIME', db.connMaxLifetime],
    ['POSTGRESQL_CONN_MAX_IDLE_TIME', db.connMaxIdleTime],
    ['REGISTRY_URL', c.urls.registry],
    ['PORTAL_URL', c.urls.portal],
    ['TOKEN_SERVICE_URL', c.urls.tokenService],
    ['HARBOR_ADMIN_PASSWORD', c.harborAdminPassword],
    ['MAX_JOB_WORKERS', c.jobservice.maxJobWorkers],
    ['CORE_SECRET', s.coreSecret],
    ['JOBSERVICE_SECRET', s.jobserviceSecret],
    ...(out.notaryEnv ? ([['WITH_NOTARY', pyBool(Boolean(options.withNotary))]] as const) : []),
    ['WITH_TRIVY', pyBool(options.withTrivy)],
    ['CORE_URL', c.urls.core],
    ['CORE_LOCAL_URL', c.urls.coreLocal],
    ['JOBSERVICE_URL', c.urls.jobservice],
    ['TRIVY_ADAPTER_URL', c.urls.trivyAdapter],
    // plain http also with internal TLS (the https variant is commented out in v2.8.6's configs.py)
    ...(out.notaryEnv ? ([['NOTARY_URL', NOTARY_URL]] as const) : []),
    ['REGISTRY_STORAGE_PROVIDER_NAME', c.storage.provider],
    ['READ_ONLY', 'false'],
    // Harbor's prepare never supplies a reload key; core treats empty as "no reload endpoint key".
    ['RELOAD_KEY', ''],
    ['REGISTRY_CONTROLLER_URL', c.urls.registryController],
    ['REGISTRY_CREDENTIAL_USERNAME', REGISTRY_USER_NAME],
    ['REGISTRY_CREDENTIAL_PASSWORD', s.registryPassword],
    ['CSRF_KEY', s.csrfKey],
    ['ROBOT_SCANNER_NAME_PREFIX', s.robotScannerNamePrefix],
    ['PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE', out.proxyCacheRegistryTypes.join(',')],
    ...(out.replicationAdapters ? ([['REPLICATION_ADAPTER_WHITELIST', out.replicationAdapters.join(',')]] as const) : []),
    ...proxyEnv(c, 'core', ctx.release),
    ...(tls
      ? ([
          ['PORT', 8443],
          ['INTERNAL_TLS_ENABLED', 'true'],
          ['INTERNAL_TLS_KEY_PATH', '/etc/harbor/ssl/core.key'],
          ['INTERNAL_TLS_CERT_PATH', '/etc/harbor/ssl/core.crt'],
          ['INTERNAL_TLS_TRUST_CA_PATH', INTERNAL_CA_IN_CONTAINER],
        ] as const)
      : ([['PORT', 8080]] as const)),
    ...(c.metric.enabled
      ? ([
          ['METRIC_ENABLE', 'true'],
          ['METRIC_PATH', c.metric.path],
          ['METRIC_PORT', c.metric.port],
          ['METRIC_NAMESPACE', 'harbor'],
          ['METRIC_SUBSYSTEM', 'core'],
        ] as const)
      : []),
    ...traceEnv(c.trace, 'harbor-core'),
    ...(c.cache.enabled
      ? ([
          ['_REDIS_URL_CACHE_LAYER', c.redis.urls.cacheLayer],
          ['CACHE_ENABLED', 'true'],
          ['CACHE_EXPIRE_HOURS', c.cache.expireHours],
        ] as const)
      : []),
    ...(out.quotaUpdateProvider ? ([['QUOTA_UPDATE_PROVIDER', c.core.quotaUpdateProvider]] as const) : []),
  ];
  return toEnvFile(entries);
}

export function coreAppConf(ctx: RenderContext): string {
  return renderTemplate('core/app.conf.eta', { httpPort: ctx.config.internalTls.enabled ? 8443 : 8080 });
}

/** harbor-core: the API, token service and UI backend. */
export const coreService: ComposeServiceSpec = {
  name: 'core',
  containerName: 'harbor-core',
  image: 'core',
  tlsPair: 'core',
  noProxy: ['core'],
  body: ({ config }) => {
    const dv = config.dataVolume;
    return {
      env_file: [`${CONFIG}/core/env`],
      cap_add: ['SETGID', 'SETUID'],
      volumes: [
        `${dv}/ca_download/:/etc/core/ca/:z`,
        `${dv}/:/data/:z`,
        `${CONFIG}/core/certificates/:/etc/core/certificates/:z`,
        bind(`${CONFIG}/core/app.conf`, '/etc/core/app.conf'),
        bind(`${dv}/secret/core/private_key.pem`, '/etc/core/private_key.pem'),
        bind(`${dv}/secret/keys/secretkey`, '/etc/core/key'),
        trustMount(),
        ...(config.uaaCaFile ? [bind(config.uaaCaFile, '/etc/core/certificates/uaa_ca.pem')] : []),
        ...internalTlsMounts(config, 'core', '/etc/harbor/ssl'),
      ],
      networkMapping: true,
      depends_on: ['log', 'registry', ...(config.redis.external ? [] : ['redis']), ...(config.database.external ? [] : ['postgresql'])],
    };
  },
};

export const coreRenderer: ComponentRenderer = {
  name: 'core',
  service: coreService,
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      { kind: 'dir', root: 'data', path: 'ca_download', mode: 0o755, owner: HARBOR, contents: 'keep' },
      { kind: 'dir', root: 'install', path: 'common/config/core', mode: 0o755, owner: ROOT, contents: 'managed' },
      // Bind-mounted at /etc/core/certificates; the uaa CA (if any) is mounted onto a file inside it.
      { kind: 'dir', root: 'install', path: 'common/config/core/certificates', mode: 0o755, owner: ROOT, contents: 'managed' },
      { kind: 'file', root: 'install', path: 'common/config/core/env', content: coreEnv(ctx), mode: 0o640, owner: ROOT, secret: true },
      { kind: 'file', root: 'install', path: 'common/config/core/app.conf', content: coreAppConf(ctx), mode: 0o640, owner: HARBOR },
      // core serves this file on the portal's "Download CA" (Harbor leaves it to the user to place)
      ...(ctx.options.caDownloadSource
        ? [{ kind: 'copy' as const, root: 'data' as const, path: 'ca_download/ca.crt', from: ctx.options.caDownloadSource, mode: 0o644, owner: HARBOR }]
        : []),
    ];
  },
};
