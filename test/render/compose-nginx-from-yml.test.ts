/**
 * From a real harbor.yml to what Docker and nginx accept: each variant is loaded by the real loader
 * (src/config/load.ts), rendered by the compose/nginx/portal renderers, and then checked the way
 * the containers would use it: the proxy's and portal's nginx.conf with `nginx -t` on the copied
 * certificates and internal TLS files, the compose file with `docker-compose config -q` on a laid
 * out tree. This catches what a hand-built model cannot: a harbor.yml key that does not reach the
 * renderers the way Harbor's prepare would use it.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { RegctlError } from '../../src/errors.js';
import { defaultRelease } from '../../src/releases/index.js';
import { buildComposeDocument, renderCompose } from '../../src/render/components/compose.js';
import { nginxRenderer, renderNginxConfig } from '../../src/render/components/nginx.js';
import { renderPortalConfig } from '../../src/render/components/portal.js';
import type { RenderContext } from '../../src/render/types.js';
import { secretsR1 } from './fixtures/model-r1.js';
import { createComposeSources, dockerCompose } from './fixtures/compose-r1.js';
import { directives, within } from './fixtures/nginx-directives-r1.js';
import { nginxTest } from './fixtures/nginx-r1.js';
import { makeCertSet } from './fixtures/tls-r1.js';
import { tempDirSync } from '../helpers/tmp.js';

/** Internal TLS file stem -> DNS name of the service, as Harbor's gencert.sh names them. */
const INTERNAL = { proxy: 'proxy', portal: 'portal', core: 'core', job_service: 'jobservice', registry: 'registry', registryctl: 'registryctl', harbor_db: 'harbor_db', trivy_adapter: 'trivy-adapter' };

let tmp: string;
beforeAll(() => {
  tmp = tempDirSync('regctl-r1-yml');
  const server = makeCertSet(['reg.example.com']);
  writeFileSync(path.join(tmp, 'server.crt'), server.leaves['reg.example.com']!.cert);
  writeFileSync(path.join(tmp, 'server.key'), server.leaves['reg.example.com']!.key, { mode: 0o600 });
  const internal = makeCertSet(Object.values(INTERNAL));
  const tlsDir = path.join(tmp, 'tls');
  mkdirSync(tlsDir);
  writeFileSync(path.join(tlsDir, 'harbor_internal_ca.crt'), internal.ca.cert);
  for (const [stem, dns] of Object.entries(INTERNAL)) {
    writeFileSync(path.join(tlsDir, `${stem}.crt`), internal.leaves[dns]!.cert);
    writeFileSync(path.join(tlsDir, `${stem}.key`), internal.leaves[dns]!.key);
    chmodSync(path.join(tlsDir, `${stem}.key`), 0o600);
  }
});

function harborYml(name: string, extra: string, https: boolean, strong = false): string {
  const root = path.join(tmp, name);
  return [
    'hostname: reg.example.com',
    'http:',
    '  port: 8080',
    ...(https ? ['https:', '  port: 8443', `  certificate: ${tmp}/server.crt`, `  private_key: ${tmp}/server.key`, ...(strong ? ['  strong_ssl_ciphers: true'] : [])] : []),
    'harbor_admin_password: Adm1n-r1-test',
    'database:',
    '  password: db-r1-test',
    '  max_idle_conns: 100',
    '  max_open_conns: 900',
    `data_volume: ${root}/data`,
    'jobservice:',
    '  max_job_workers: 10',
    '  job_loggers:',
    '    - STD_OUTPUT',
    '    - FILE',
    '  logger_sweeper_duration: 1',
    'notification:',
    '  webhook_job_max_retry: 3',
    '  webhook_job_http_client_timeout: 3',
    'log:',
    '  level: info',
    '  local:',
    '    rotate_count: 50',
    '    rotate_size: 200M',
    `    location: ${root}/log`,
    '_version: 2.15.0',
    extra.replaceAll('$TMP', tmp),
  ].join('\n');
}

interface Variant {
  name: string;
  https: boolean;
  withTrivy: boolean;
  /** https.strong_ssl_ciphers */
  strong?: boolean;
  extra: string;
}

const VARIANTS: Variant[] = [
  {
    name: 'https-metrics-dualstack-strong',
    https: true,
    strong: true,
    withTrivy: false,
    extra: ['ip_family:', '  ipv6:', '    enabled: true', '  ipv4:', '    enabled: true', 'metric:', '  enabled: true', '  port: 9191', '  path: /metrics'].join('\n'),
  },
  {
    name: 'https-internal-tls-v6only-trivy',
    https: true,
    withTrivy: true,
    extra: ['internal_tls:', '  enabled: true', '  strong_ssl_ciphers: true', '  dir: $TMP/tls', 'ip_family:', '  ipv6:', '    enabled: true', '  ipv4:', '    enabled: false'].join('\n'),
  },
  {
    name: 'http-internal-tls-external-db-redis',
    https: false,
    withTrivy: true,
    extra: [
      'internal_tls:',
      '  enabled: true',
      '  dir: $TMP/tls',
      'external_database:',
      '  harbor:',
      '    host: pg.corp.example',
      '    port: 5432',
      '    db_name: registry',
      '    username: harbor',
      '    password: dbpass',
      '    ssl_mode: disable',
      'external_redis:',
      '  host: redis.corp.example:6379',
      '  password: ""',
      '  registry_db_index: 1',
      '  jobservice_db_index: 2',
      '  trivy_db_index: 5',
      'metric:',
      '  enabled: true',
      '  port: 9090',
      '  path: /metrics',
    ].join('\n'),
  },
];

function load(v: Variant): RenderContext {
  const file = path.join(tmp, v.name, 'harbor.yml');
  mkdirSync(path.dirname(file), { recursive: true });
  const text = harborYml(v.name, v.extra, v.https, v.strong);
  writeFileSync(file, text);
  let config;
  try {
    ({ config } = loadConfigText(file, text, { withTrivy: v.withTrivy, schemaVersion: defaultRelease.schemaVersion }));
  } catch (e) {
    const problems = e instanceof RegctlError ? e.problems.map((p) => `${p.key}: ${p.message}`).join('; ') : '';
    throw new Error(`${v.name}: harbor.yml rejected: ${(e as Error).message} ${problems}`);
  }
  return { config, secrets: secretsR1, release: defaultRelease, options: { withTrivy: v.withTrivy } };
}

describe.each(VARIANTS)('harbor.yml variant $name', (v) => {
  let ctx: RenderContext;
  beforeAll(() => {
    ctx = load(v);
  });

  it('the proxy nginx.conf passes nginx -t on the files prepare copies', () => {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': renderNginxConfig(ctx) };
    // /etc/cert is data_volume/secret/cert: the CopiedFiles nginx's renderer lists
    for (const e of nginxRenderer.render(ctx)) {
      if (e.kind === 'copy') files[`/etc/cert/${path.posix.basename(e.path)}`] = readFileSync(e.from, 'utf8');
    }
    if (ctx.config.internalTls.enabled) {
      const dir = ctx.config.internalTls.dir;
      files['/etc/harbor/tls/proxy.crt'] = readFileSync(path.join(dir, 'proxy.crt'), 'utf8');
      files['/etc/harbor/tls/proxy.key'] = readFileSync(path.join(dir, 'proxy.key'), 'utf8');
      files['/harbor_cust_cert/harbor_internal_ca.crt'] = readFileSync(path.join(dir, 'harbor_internal_ca.crt'), 'utf8');
    }
    const r = nginxTest(files);
    expect(r.output).toContain('test is successful');
  });

  it('the portal nginx.conf passes nginx -t', () => {
    const files: Record<string, string> = { '/etc/nginx/nginx.conf': renderPortalConfig(ctx) };
    if (ctx.config.internalTls.enabled) {
      const dir = ctx.config.internalTls.dir;
      files['/etc/harbor/tls/portal.crt'] = readFileSync(path.join(dir, 'portal.crt'), 'utf8');
      files['/etc/harbor/tls/portal.key'] = readFileSync(path.join(dir, 'portal.key'), 'utf8');
    }
    expect(nginxTest(files, {}).output).toContain('test is successful');
  });

  it('the listeners follow the yml (ports, ip_family, internal TLS)', () => {
    const d = directives(renderNginxConfig(ctx));
    const listens = d.filter((x) => x.text.startsWith('listen')).map((x) => x.text);
    const c = ctx.config;
    if (v.https) {
      expect(listens).toContain('listen 8080');
      if (c.ipFamily.ipv4) expect(listens).toContain('listen 8443 ssl');
      if (c.ipFamily.ipv6) expect(listens).toContain('listen [::]:8443 ssl');
      expect(within(d, 'http>server#2')).toContain('return 308 https://$host:8443$request_uri');
    } else {
      expect(listens[0]).toBe('listen 8080');
    }
    expect(listens.includes('listen 9090')).toBe(c.metric.enabled);
    if (v.https) {
      const strong = 'ssl_ciphers ECDHE+AESGCM:DHE+AESGCM:ECDHE+RSA+SHA256:DHE+RSA+SHA256:!AES128';
      expect(within(d, 'http>server').includes(strong)).toBe(Boolean(v.strong || v.extra.includes('strong_ssl_ciphers: true')));
    }
    expect(within(d, 'http>upstream core')).toEqual([c.internalTls.enabled ? 'server core:8443' : 'server core:8080']);
  });

  it('docker-compose config -q accepts the compose file on a laid-out tree', () => {
    const install = path.join(tmp, v.name, 'harbor');
    const doc = buildComposeDocument(ctx.config, ctx.release, v.withTrivy);
    createComposeSources(install, doc);
    writeFileSync(path.join(install, 'docker-compose.yml'), renderCompose(ctx));
    const q = dockerCompose(install, ['config', '-q']);
    expect(q.stderr).toBe('');
    expect(q.status).toBe(0);
    expect(Object.keys(doc.services).includes('trivy-adapter')).toBe(v.withTrivy);
    expect(Object.keys(doc.services).includes('postgresql')).toBe(!ctx.config.database.external);
  });
});
