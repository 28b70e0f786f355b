/**
 * The Trivy scanner adapter (only with --with-trivy): common/config/trivy-adapter/env and its two
 * cache dirs (vulnerability DB, scan reports) under data_volume.
 */
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { pyBool, toEnvFile, type EnvEntries } from '../formats.js';
import { proxyEnv } from './core/env-groups.js';
import type { ComposeServiceSpec } from '../compose/service.js';
import { bind, CONFIG, internalTlsMounts, trustMount } from '../compose/service.js';

export function trivyAdapterEnv(ctx: RenderContext): string {
  const c = ctx.config;
  const t = c.trivy;
  const redisUrl = c.redis.urls.trivy;
  const entries: EnvEntries = [
    ['SCANNER_LOG_LEVEL', c.log.level],
    ['SCANNER_REDIS_URL', redisUrl],
    ['SCANNER_STORE_REDIS_URL', redisUrl],
    ['SCANNER_STORE_REDIS_NAMESPACE', 'harbor.scanner.trivy:store'],
    ['SCANNER_JOB_QUEUE_REDIS_URL', redisUrl],
    ['SCANNER_JOB_QUEUE_REDIS_NAMESPACE', 'harbor.scanner.trivy:job-queue'],
    ['SCANNER_TRIVY_CACHE_DIR', '/home/scanner/.cache/trivy'],
    ['SCANNER_TRIVY_REPORTS_DIR', '/home/scanner/.cache/reports'],
    ['SCANNER_TRIVY_VULN_TYPE', 'os,library'],
    ['SCANNER_TRIVY_SEVERITY', 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL'],
    ['SCANNER_TRIVY_IGNORE_UNFIXED', pyBool(t.ignoreUnfixed)],
    ['SCANNER_TRIVY_SKIP_UPDATE', pyBool(t.skipUpdate)],
    ...(ctx.release.output.trivy.skipJavaDbUpdate ? ([['SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE', pyBool(t.skipJavaDbUpdate)]] as const) : []),
    ...(ctx.release.output.trivy.dbRepositories
      ? ([
          ['SCANNER_TRIVY_DB_REPOSITORY', t.dbRepository],
          ['SCANNER_TRIVY_JAVA_DB_REPOSITORY', t.javaDbRepository],
        ] as const)
      : []),
    ['SCANNER_TRIVY_OFFLINE_SCAN', pyBool(t.offlineScan)],
    ['SCANNER_TRIVY_SECURITY_CHECKS', t.securityCheck],
    ['SCANNER_TRIVY_GITHUB_TOKEN', t.githubToken],
    ['SCANNER_TRIVY_INSECURE', pyBool(t.insecure)],
    ['SCANNER_TRIVY_TIMEOUT', t.timeout],
    ...proxyEnv(c, 'trivy', ctx.release),
    ...(c.internalTls.enabled
      ? ([
          ['SCANNER_API_SERVER_ADDR', ':8443'],
          ['SCANNER_API_SERVER_TLS_KEY', '/etc/harbor/ssl/trivy_adapter.key'],
          ['SCANNER_API_SERVER_TLS_CERTIFICATE', '/etc/harbor/ssl/trivy_adapter.crt'],
        ] as const)
      : []),
  ];
  return toEnvFile(entries);
}

/** trivy-adapter: the vulnerability scanner, with --with-trivy. */
export const trivyService: ComposeServiceSpec = {
  name: 'trivy-adapter',
  containerName: 'trivy-adapter',
  image: 'trivyAdapter',
  tlsPair: 'trivy_adapter',
  noProxy: ['trivy-adapter'],
  deployed: (ctx) => ctx.options.withTrivy,
  body: ({ config }) => ({
    // the scanner needs no capability at all: cap_drop ALL, nothing added back
    depends_on: ['log', ...(config.redis.external ? [] : ['redis'])],
    volumes: [
      bind(`${config.dataVolume}/trivy-adapter/trivy`, '/home/scanner/.cache/trivy'),
      bind(`${config.dataVolume}/trivy-adapter/reports`, '/home/scanner/.cache/reports'),
      trustMount(),
      ...internalTlsMounts(config, 'trivy_adapter', '/etc/harbor/ssl'),
    ],
    env_file: `${CONFIG}/trivy-adapter/env`,
  }),
};

export const trivyRenderer: ComponentRenderer = {
  name: 'trivy',
  service: trivyService,
  render(ctx: RenderContext): RenderedEntry[] {
    if (!ctx.options.withTrivy) return [];
    return [
      { kind: 'dir', root: 'data', path: 'trivy-adapter/trivy', mode: 0o755, owner: HARBOR, contents: 'keep' },
      { kind: 'dir', root: 'data', path: 'trivy-adapter/reports', mode: 0o755, owner: HARBOR, contents: 'keep' },
      { kind: 'dir', root: 'install', path: 'common/config/trivy-adapter', mode: 0o755, owner: ROOT, contents: 'managed' },
      {
        kind: 'file',
        root: 'install',
        path: 'common/config/trivy-adapter/env',
        content: trivyAdapterEnv(ctx),
        mode: 0o640,
        owner: ROOT,
        secret: true,
      },
    ];
  },
};
