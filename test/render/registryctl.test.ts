/** registryctl/env and registryctl/config.yml against Harbor v2.15.2 (goharbor/harbor make/photon/prepare at v2.15.2). */
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { registryctlRenderer } from '../../src/render/components/registryctl.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { baseModel, ctxOf, envLines, fileAt, internalTlsModel } from './fixtures/model-r2.js';

const ENV = 'common/config/registryctl/env';
const CONFIG = 'common/config/registryctl/config.yml';

describe('registryctl', () => {
  it('env: the two shared secrets only, for the shipped harbor.yml', () => {
    expect(envLines(fileAt(registryctlRenderer.render(ctxOf(baseModel())), ENV).content)).toEqual([
      'CORE_SECRET=CoreSecret000001',
      'JOBSERVICE_SECRET=JobSecret0000002',
    ]);
  });

  it('env: internal TLS and otel trace groups', () => {
    const m = internalTlsModel();
    m.trace = {
      enabled: true, sampleRate: 1, namespace: 'harbor', attributes: { application: 'harbor' },
      otel: { endpoint: 'otel:4318', urlPath: '/v1/traces', compression: true, insecure: false, timeout: 10 },
    };
    expect(envLines(fileAt(registryctlRenderer.render(ctxOf(m)), ENV).content)).toEqual([
      'CORE_SECRET=CoreSecret000001',
      'JOBSERVICE_SECRET=JobSecret0000002',
      'INTERNAL_TLS_ENABLED=true',
      'INTERNAL_TLS_TRUST_CA_PATH=/harbor_cust_cert/harbor_internal_ca.crt',
      'INTERNAL_TLS_KEY_PATH=/etc/harbor/ssl/registryctl.key',
      'INTERNAL_TLS_CERT_PATH=/etc/harbor/ssl/registryctl.crt',
      'TRACE_ENABLED=true',
      'TRACE_SERVICE_NAME=harbor-registryctl',
      'TRACE_SAMPLE_RATE=1',
      'TRACE_NAMESPACE=harbor',
      'TRACE_ATTRIBUTES={"application": "harbor"}',
      'TRACE_OTEL_ENDPOINT=otel:4318',
      'TRACE_OTEL_URL_PATH=/v1/traces',
      'TRACE_OTEL_COMPRESSION=True',
      'TRACE_OTEL_TIMEOUT=10',
      'TRACE_OTEL_INSECURE=False',
    ]);
  });

  it('config.yml: http 8080, or https 8443 with its pair; warning spelled warn', () => {
    const m = baseModel();
    m.log.level = 'warning';
    expect(parse(fileAt(registryctlRenderer.render(ctxOf(m)), CONFIG).content.toString())).toEqual({
      protocol: 'http',
      port: 8080,
      log_level: 'warn',
      registry_config: '/etc/registry/config.yml',
    });
    expect(parse(fileAt(registryctlRenderer.render(ctxOf(internalTlsModel())), CONFIG).content.toString())).toEqual({
      protocol: 'https',
      port: 8443,
      https_config: { cert: '/etc/harbor/ssl/registryctl.crt', key: '/etc/harbor/ssl/registryctl.key' },
      log_level: 'info',
      registry_config: '/etc/registry/config.yml',
    });
  });

  it('modes/owners: env 0640 root, config.yml 0640 harbor', () => {
    const entries = registryctlRenderer.render(ctxOf(baseModel()));
    expect([fileAt(entries, ENV).mode, fileAt(entries, ENV).owner]).toEqual([0o640, ROOT]);
    expect([fileAt(entries, CONFIG).mode, fileAt(entries, CONFIG).owner]).toEqual([0o640, HARBOR]);
  });
});
