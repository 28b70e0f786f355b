/**
 * registryctl (the sidecar core calls for garbage collection and registry health):
 * common/config/registryctl/env (shared secrets, internal TLS, tracing) and its config.yml.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { toEnvFile, toYaml, type EnvEntries } from '../formats.js';
import { INTERNAL_CA_IN_CONTAINER, distributionLogLevel, traceEnv } from './core/env-groups.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG, gcsKeyfileMounts, internalTlsMounts, trustMount } from '../compose/service.js';

export function registryctlEnv(ctx: RenderContext): string {
  const { config: c, secrets: s } = ctx;
  const entries: EnvEntries = [
    ['CORE_SECRET', s.coreSecret],
    ['JOBSERVICE_SECRET', s.jobserviceSecret],
    ...(c.internalTls.enabled
      ? ([
          ['INTERNAL_TLS_ENABLED', 'true'],
          ['INTERNAL_TLS_TRUST_CA_PATH', INTERNAL_CA_IN_CONTAINER],
          ['INTERNAL_TLS_KEY_PATH', '/etc/harbor/ssl/registryctl.key'],
          ['INTERNAL_TLS_CERT_PATH', '/etc/harbor/ssl/registryctl.crt'],
        ] as const)
      : []),
    ...traceEnv(c.trace, 'harbor-registryctl'),
  ];
  return toEnvFile(entries);
}

export function registryctlConfig(ctx: RenderContext): Record<string, unknown> {
  const c = ctx.config;
  const listen = c.internalTls.enabled
    ? {
        protocol: 'https',
        port: 8443,
        https_config: { cert: '/etc/harbor/ssl/registryctl.crt', key: '/etc/harbor/ssl/registryctl.key' },
      }
    : { protocol: 'http', port: 8080 };
  return {
    ...listen,
    log_level: distributionLogLevel(c.log.level),
    // the registry's own config, mounted from common/config/registry
    registry_config: '/etc/registry/config.yml',
  };
}

/** registryctl: registry's controller (garbage collection, health). */
export const registryctlService: ComposeServiceSpec = {
  name: 'registryctl',
  containerName: 'registryctl',
  image: 'registryctl',
  tlsPair: 'registryctl',
  noProxy: ['registryctl'],
  body: ({ config }) => ({
    env_file: [`${CONFIG}/registryctl/env`],
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [
      `${config.dataVolume}/registry:/storage:z`,
      `${CONFIG}/registry/:/etc/registry/:z`,
      bind(`${CONFIG}/registryctl/config.yml`, '/etc/registryctl/config.yml'),
      trustMount(),
      ...gcsKeyfileMounts(config),
      ...internalTlsMounts(config, 'registryctl', '/etc/harbor/ssl'),
    ],
    depends_on: ['log'],
  }),
};

export const registryctlRenderer: ComponentRenderer = {
  name: 'registryctl',
  service: registryctlService,
  render(ctx: RenderContext): RenderedEntry[] {
    return [
      { kind: 'dir', root: 'install', path: 'common/config/registryctl', mode: 0o755, owner: ROOT, contents: 'managed' },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/registryctl/env',
        content: registryctlEnv(ctx),
        mode: 0o640,
        owner: ROOT,
        secret: true,
      },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/registryctl/config.yml',
        content: toYaml(registryctlConfig(ctx)),
        mode: 0o640,
        owner: HARBOR,
      },
    ];
  },
};
