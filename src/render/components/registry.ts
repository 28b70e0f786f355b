/**
 * The registry (distribution): common/config/registry/config.yml, built as an object and serialised
 * with a real YAML writer, and registry/passwd, the htpasswd file holding the one credential core
 * and jobservice use to talk to it.
 *
 * Harbor writes the storage section with a flat "key: value" formatter and pastes unquoted values
 * into its template. We keep the meaning and drop the breakage: every value keeps the type it had
 * in harbor.yml (an integer 1 stays 1 instead of becoming `true`, nested maps stay maps instead of
 * Python reprs) and strings are quoted where YAML needs it (passwords with ':' or '#').
 */
import type { HarborConfig } from '../../config/model.js';
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { toYaml } from '../formats.js';
import { distributionLogLevel } from './core/env-groups.js';
import { parseRegistryRedisUrl } from './registry/redis-url.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG, gcsKeyfileMounts, internalTlsMounts, joinHostPath, trustMount } from '../compose/service.js';

/** Where compose mounts storage_service.gcs.keyfile inside the registry and registryctl. */
export const GCS_KEYFILE_IN_CONTAINER = '/etc/registry/gcs.key';

function storageDriverSection(config: HarborConfig): Record<string, unknown> {
  const { provider, providerConfig } = config.storage;
  const section: Record<string, unknown> = { ...providerConfig };
  if (provider === 'filesystem' && !('rootdirectory' in section)) section.rootdirectory = '/storage';
  if (provider === 'gcs' && section.keyfile) section.keyfile = GCS_KEYFILE_IN_CONTAINER;
  return section;
}

export function registryConfig(ctx: RenderContext): Record<string, unknown> {
  const c = ctx.config;
  const purge = c.uploadPurging;
  const redis = parseRegistryRedisUrl(c.redis.urls.registry);

  const storage: Record<string, unknown> = {
    cache: { layerinfo: 'redis' },
    [c.storage.provider]: storageDriverSection(c),
    maintenance: {
      uploadpurging: purge.enabled
        ? { enabled: true, age: purge.age, interval: purge.interval, dryrun: purge.dryrun }
        : { enabled: false },
    },
    delete: { enabled: true },
  };
  if (c.storage.redirectDisable) storage.redirect = { disable: true };

  return {
    version: 0.1,
    log: { level: distributionLogLevel(c.log.level), fields: { service: 'registry' } },
    storage,
    redis: {
      addr: redis.addr,
      ...(redis.sentinelMasterSet !== undefined ? { sentinelMasterSet: redis.sentinelMasterSet } : {}),
      readtimeout: '10s',
      writetimeout: '10s',
      dialtimeout: '10s',
      // Empty credentials are left unset (null), as in an official install.
      password: redis.password || null,
      // the username line came with v2.15.0 (templates/registry/config.yml.jinja)
      ...(ctx.release.output.registry.redisUsername ? { username: redis.username || null } : {}),
      db: redis.db,
      // no enableTLS line at v2.8.6 (no rediss there)
      ...(ctx.release.output.registry.redisEnableTls ? { enableTLS: redis.tls } : {}),
      pool: { maxidle: 100, maxactive: 500, idletimeout: '60s' },
    },
    http: {
      ...(c.internalTls.enabled
        ? {
            addr: ':5443',
            tls: {
              certificate: '/etc/harbor/tls/registry.crt',
              key: '/etc/harbor/tls/registry.key',
              minimumtls: 'tls1.2',
            },
          }
        : { addr: ':5000' }),
      // Signs upload state. Harbor's fixed value: the registry is reachable only inside the compose network.
      secret: 'placeholder',
      debug: c.metric.enabled
        ? { addr: `:${c.metric.port}`, prometheus: { enabled: true, path: c.metric.path } }
        : { addr: 'localhost:5001' },
    },
    auth: { htpasswd: { realm: 'harbor-registry-basic-realm', path: '/etc/registry/passwd' } },
    validation: { disabled: true },
    compatibility: { schema1: { enabled: true } },
  };
}

/** registry (distribution): the blob store, behind core's token service. */
export const registryService: ComposeServiceSpec = {
  name: 'registry',
  containerName: 'registry',
  image: 'registry',
  tlsPair: 'registry',
  noProxy: ['registry'],
  body: ({ config }) => ({
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [
      `${config.dataVolume}/registry:/storage:z`,
      `${CONFIG}/registry/:/etc/registry/:z`,
      bind(`${config.dataVolume}/secret/registry/root.crt`, '/etc/registry/root.crt'),
      trustMount(),
      ...gcsKeyfileMounts(config),
      // registry calls core back (token/notifications), so it must trust core's certificate
      ...(config.internalTls.enabled ? [bind(joinHostPath(config.dataVolume, 'secret', 'tls', 'core.crt'), '/harbor_cust_cert/core.crt')] : []),
      ...internalTlsMounts(config, 'registry', '/etc/harbor/tls'),
    ],
    depends_on: ['log'],
  }),
};

export const registryRenderer: ComponentRenderer = {
  name: 'registry',
  service: registryService,
  render(ctx: RenderContext): RenderedEntry[] {
    const passwd = ctx.secrets.registryHtpasswd.replace(/\n+$/, '') + '\n';
    return [
      { kind: 'dir', root: 'data', path: 'registry', mode: 0o755, owner: HARBOR, contents: 'keep', recursiveOwner: true },
      { kind: 'dir', root: 'install', path: 'common/config/registry', mode: 0o755, owner: ROOT, contents: 'managed' },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/registry/config.yml',
        content: toYaml(registryConfig(ctx)),
        mode: 0o640,
        owner: HARBOR,
        secret: true,
      },
      { kind: 'file', root: 'install', path: 'common/config/registry/passwd', content: passwd, mode: 0o644, owner: ROOT, secret: true },
      // compose binds the token cert onto /etc/registry/root.crt inside the bound config dir, so
      // dockerd leaves an empty root.crt here: it is Docker's, not a stale file to remove
      { kind: 'mountpoint', root: 'install', path: 'common/config/registry/root.crt' },
    ];
  },
};
