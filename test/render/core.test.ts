/**
 * core/env and core/app.conf against Harbor v2.15.2's core env (goharbor/harbor make/photon/prepare at v2.15.2):
 * variable names, values and order.
 */
import { describe, it, expect } from 'vitest';
import { coreRenderer } from '../../src/render/components/core.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { baseModel, ctxOf, envLines, envMap, fileAt, internalTlsModel, INTERNAL_NO_PROXY } from './fixtures/model-r2.js';

const ENV = 'common/config/core/env';

describe('core renderer', () => {
  it('renders the shipped harbor.yml as Harbor does, variable by variable, in order', () => {
    const env = fileAt(coreRenderer.render(ctxOf(baseModel())), ENV);
    expect(envLines(env.content)).toEqual([
      'CONFIG_PATH=/etc/core/app.conf',
      'UAA_CA_ROOT=/etc/core/certificates/uaa_ca.pem',
      '_REDIS_URL_CORE=redis://redis:6379?idle_timeout_seconds=30',
      '_REDIS_URL_REG=redis://redis:6379/1?idle_timeout_seconds=30',
      'LOG_LEVEL=info',
      'EXT_ENDPOINT=https://reg.example.com',
      'DATABASE_TYPE=postgresql',
      'POSTGRESQL_HOST=postgresql',
      'POSTGRESQL_PORT=5432',
      'POSTGRESQL_USERNAME=postgres',
      'POSTGRESQL_PASSWORD=root123',
      'POSTGRESQL_DATABASE=registry',
      'POSTGRESQL_SSLMODE=disable',
      'POSTGRESQL_MAX_IDLE_CONNS=100',
      'POSTGRESQL_MAX_OPEN_CONNS=900',
      'POSTGRESQL_CONN_MAX_LIFETIME=5m',
      'POSTGRESQL_CONN_MAX_IDLE_TIME=0',
      'REGISTRY_URL=http://registry:5000',
      'PORTAL_URL=http://portal:8080',
      'TOKEN_SERVICE_URL=http://core:8080/service/token',
      'HARBOR_ADMIN_PASSWORD=Harbor12345',
      'MAX_JOB_WORKERS=10',
      'CORE_SECRET=CoreSecret000001',
      'JOBSERVICE_SECRET=JobSecret0000002',
      'WITH_TRIVY=False',
      'CORE_URL=http://core:8080',
      'CORE_LOCAL_URL=http://127.0.0.1:8080',
      'JOBSERVICE_URL=http://jobservice:8080',
      'TRIVY_ADAPTER_URL=http://trivy-adapter:8080',
      'REGISTRY_STORAGE_PROVIDER_NAME=filesystem',
      'READ_ONLY=false',
      'RELOAD_KEY=',
      'REGISTRY_CONTROLLER_URL=http://registryctl:8080',
      'REGISTRY_CREDENTIAL_USERNAME=harbor_registry_user',
      'REGISTRY_CREDENTIAL_PASSWORD=RegistryPassword0000000000000003',
      'CSRF_KEY=CsrfKey0000000000000000000000004',
      'ROBOT_SCANNER_NAME_PREFIX=Rb0t0005',
      'PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE=docker-hub,harbor,azure-acr,ali-acr,aws-ecr,google-gcr,docker-registry,github-ghcr,jfrog-artifactory',
      'REPLICATION_ADAPTER_WHITELIST=ali-acr,aws-ecr,azure-acr,docker-hub,docker-registry,github-ghcr,google-gcr,harbor,huawei-SWR,jfrog-artifactory,tencent-tcr,volcengine-cr',
      'HTTP_PROXY=',
      'HTTPS_PROXY=',
      `NO_PROXY=${INTERNAL_NO_PROXY}`,
      'PORT=8080',
      'QUOTA_UPDATE_PROVIDER=db',
    ]);
  });

  it('writes env 0640 root (secret), app.conf 0640 harbor, the certificates dir and data ca_download', () => {
    const entries = coreRenderer.render(ctxOf(baseModel()));
    const env = fileAt(entries, ENV);
    expect([env.root, env.mode, env.owner, env.secret]).toEqual(['install', 0o640, ROOT, true]);
    const app = fileAt(entries, 'common/config/core/app.conf');
    expect([app.root, app.mode, app.owner]).toEqual(['install', 0o640, HARBOR]);
    expect(entries).toContainEqual({
      kind: 'dir', root: 'install', path: 'common/config/core/certificates', mode: 0o755, owner: ROOT, contents: 'managed',
    });
    expect(entries).toContainEqual({ kind: 'dir', root: 'data', path: 'ca_download', mode: 0o755, owner: HARBOR, contents: 'keep' });
  });

  it('app.conf: Beego settings, port 8080, or 8443 with internal TLS', () => {
    const plain = fileAt(coreRenderer.render(ctxOf(baseModel())), 'common/config/core/app.conf').content.toString();
    expect(plain).toBe('appname = Harbor\nrunmode = prod\nenablegzip = true\n\n[prod]\nhttpport = 8080\n');
    const tls = fileAt(coreRenderer.render(ctxOf(internalTlsModel())), 'common/config/core/app.conf').content.toString();
    expect(tls).toMatch(/^\[prod\]\nhttpport = 8443\n/m);
  });

  it('internal TLS: https URLs, port 8443 and the TLS paths core reads', () => {
    const lines = envLines(fileAt(coreRenderer.render(ctxOf(internalTlsModel())), ENV).content);
    const env = envMap(lines.join('\n') + '\n');
    expect(env.get('CORE_LOCAL_URL')).toBe('https://core:8443');
    expect(env.get('TOKEN_SERVICE_URL')).toBe('https://core:8443/service/token');
    expect(env.get('REGISTRY_URL')).toBe('https://registry:5443');
    const i = lines.indexOf('PORT=8443');
    expect(lines.slice(i, i + 5)).toEqual([
      'PORT=8443',
      'INTERNAL_TLS_ENABLED=true',
      'INTERNAL_TLS_KEY_PATH=/etc/harbor/ssl/core.key',
      'INTERNAL_TLS_CERT_PATH=/etc/harbor/ssl/core.crt',
      'INTERNAL_TLS_TRUST_CA_PATH=/harbor_cust_cert/harbor_internal_ca.crt',
    ]);
    expect(lines).not.toContain('PORT=8080');
  });

  it('--with-trivy: WITH_TRIVY=True (Python spelling)', () => {
    const env = envMap(fileAt(coreRenderer.render(ctxOf(baseModel(), { withTrivy: true })), ENV).content);
    expect(env.get('WITH_TRIVY')).toBe('True');
  });

  it('proxy: listed core gets the values, unlisted core gets empty ones', () => {
    const m = baseModel();
    m.proxy = { httpProxy: 'http://proxy.corp:3128', httpsProxy: 'http://proxy.corp:3129', noProxy: `${INTERNAL_NO_PROXY},.corp`, components: ['core'] };
    let env = envMap(fileAt(coreRenderer.render(ctxOf(m)), ENV).content);
    expect([env.get('HTTP_PROXY'), env.get('HTTPS_PROXY'), env.get('NO_PROXY')]).toEqual([
      'http://proxy.corp:3128', 'http://proxy.corp:3129', `${INTERNAL_NO_PROXY},.corp`,
    ]);
    m.proxy.components = ['jobservice', 'trivy'];
    env = envMap(fileAt(coreRenderer.render(ctxOf(m)), ENV).content);
    expect([env.get('HTTP_PROXY'), env.get('HTTPS_PROXY'), env.get('NO_PROXY')]).toEqual(['', '', '']);
  });

  it('external database, redis db indexes, external_url and storage provider flow into their variables', () => {
    const m = baseModel();
    m.publicUrl = 'https://harbor.corp:8433';
    m.externalUrl = 'https://harbor.corp:8433';
    m.database = {
      external: true, host: 'pg.corp', port: 6432, dbName: 'harbor', username: 'harbor', password: 'p#ss:w=rd',
      sslMode: 'verify-full', maxIdleConns: 2, maxOpenConns: 0, connMaxLifetime: '1h', connMaxIdleTime: '10m',
    };
    m.redis.urls.harbor = 'redis://redis:6379/6?idle_timeout_seconds=30';
    m.storage = { provider: 's3', providerConfig: { bucket: 'b', region: 'eu-west-1' }, caBundle: '', redirectDisable: true };
    const lines = envLines(fileAt(coreRenderer.render(ctxOf(m)), ENV).content);
    expect(lines.slice(2, 5)).toEqual([
      '_REDIS_URL_CORE=redis://redis:6379?idle_timeout_seconds=30',
      '_REDIS_URL_HARBOR=redis://redis:6379/6?idle_timeout_seconds=30',
      '_REDIS_URL_REG=redis://redis:6379/1?idle_timeout_seconds=30',
    ]);
    expect(lines).toEqual(expect.arrayContaining([
      'EXT_ENDPOINT=https://harbor.corp:8433',
      'POSTGRESQL_HOST=pg.corp',
      'POSTGRESQL_PORT=6432',
      'POSTGRESQL_USERNAME=harbor',
      'POSTGRESQL_PASSWORD=p#ss:w=rd',
      'POSTGRESQL_DATABASE=harbor',
      'POSTGRESQL_SSLMODE=verify-full',
      'POSTGRESQL_MAX_IDLE_CONNS=2',
      'POSTGRESQL_MAX_OPEN_CONNS=0',
      'POSTGRESQL_CONN_MAX_LIFETIME=1h',
      'POSTGRESQL_CONN_MAX_IDLE_TIME=10m',
      'REGISTRY_STORAGE_PROVIDER_NAME=s3',
    ]));
  });

  it('metric, trace (jaeger), cache and quota groups come after PORT, in that order', () => {
    const m = baseModel();
    m.metric = { enabled: true, port: 9090, path: '/metrics' };
    m.trace = {
      enabled: true, sampleRate: 0.5, namespace: 'ns', attributes: { application: 'harbor', team: 'ops' },
      jaeger: { endpoint: 'http://jaeger:14268/api/traces', username: 'u', password: 'p' },
    };
    m.cache = { enabled: true, expireHours: 12 };
    m.redis.urls.cacheLayer = 'redis://redis:6379/7?idle_timeout_seconds=30';
    m.core = { quotaUpdateProvider: 'redis' };
    const lines = envLines(fileAt(coreRenderer.render(ctxOf(m)), ENV).content);
    const i = lines.indexOf('PORT=8080');
    expect(lines.slice(i)).toEqual([
      'PORT=8080',
      'METRIC_ENABLE=true',
      'METRIC_PATH=/metrics',
      'METRIC_PORT=9090',
      'METRIC_NAMESPACE=harbor',
      'METRIC_SUBSYSTEM=core',
      'TRACE_ENABLED=true',
      'TRACE_SERVICE_NAME=harbor-core',
      'TRACE_SAMPLE_RATE=0.5',
      'TRACE_NAMESPACE=ns',
      'TRACE_ATTRIBUTES={"application": "harbor", "team": "ops"}',
      'TRACE_JAEGER_ENDPOINT=http://jaeger:14268/api/traces',
      'TRACE_JAEGER_USERNAME=u',
      'TRACE_JAEGER_PASSWORD=p',
      'TRACE_JAEGER_AGENT_HOSTNAME=',
      'TRACE_JAEGER_AGENT_PORT=',
      '_REDIS_URL_CACHE_LAYER=redis://redis:6379/7?idle_timeout_seconds=30',
      'CACHE_ENABLED=true',
      'CACHE_EXPIRE_HOURS=12',
      'QUOTA_UPDATE_PROVIDER=redis',
    ]);
  });

  it('trace (otel): Python-spelled booleans and the timeout; cache without a cache-layer index', () => {
    const m = baseModel();
    m.trace = {
      enabled: true, sampleRate: 1, namespace: '', attributes: {},
      otel: { endpoint: 'otel:4318', urlPath: '/v1/traces', compression: false, insecure: true, timeout: 10 },
    };
    m.cache = { enabled: true, expireHours: 24 };
    const lines = envLines(fileAt(coreRenderer.render(ctxOf(m)), ENV).content);
    const i = lines.indexOf('TRACE_ENABLED=true');
    expect(lines.slice(i)).toEqual([
      'TRACE_ENABLED=true',
      'TRACE_SERVICE_NAME=harbor-core',
      'TRACE_SAMPLE_RATE=1',
      'TRACE_NAMESPACE=',
      'TRACE_ATTRIBUTES={}',
      'TRACE_OTEL_ENDPOINT=otel:4318',
      'TRACE_OTEL_URL_PATH=/v1/traces',
      'TRACE_OTEL_COMPRESSION=False',
      'TRACE_OTEL_TIMEOUT=10',
      'TRACE_OTEL_INSECURE=True',
      'CACHE_ENABLED=true',
      'CACHE_EXPIRE_HOURS=24',
      'QUOTA_UPDATE_PROVIDER=db',
    ]);
  });

  it('trace disabled: no TRACE_ variables even when exporters are configured', () => {
    const m = baseModel();
    m.trace = { enabled: false, sampleRate: 1, namespace: '', attributes: {}, jaeger: { agentHost: 'j', agentPort: 6831 } };
    const text = fileAt(coreRenderer.render(ctxOf(m)), ENV).content.toString();
    expect(text).not.toMatch(/^TRACE_/m);
  });

  it('log level is written lower-case as configured (warning stays warning for core)', () => {
    const m = baseModel();
    m.log.level = 'warning';
    expect(envMap(fileAt(coreRenderer.render(ctxOf(m)), ENV).content).get('LOG_LEVEL')).toBe('warning');
  });
});
