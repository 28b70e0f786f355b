/** trivy-adapter/env and its data dirs (goharbor/harbor make/photon/prepare at v2.15.2): only with --with-trivy. */
import { describe, it, expect } from 'vitest';
import { trivyRenderer } from '../../src/render/components/trivy.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { baseModel, ctxOf, envLines, fileAt, internalTlsModel, INTERNAL_NO_PROXY } from './fixtures/model-r2.js';

const ENV = 'common/config/trivy-adapter/env';

describe('trivy renderer', () => {
  it('renders nothing without --with-trivy', () => {
    expect(trivyRenderer.render(ctxOf(baseModel()))).toEqual([]);
  });

  it('--with-trivy: env in order with Python booleans, proxy values for the listed trivy component', () => {
    const m = baseModel();
    m.proxy = { httpProxy: 'http://p:3128', httpsProxy: 'http://ps:3129', noProxy: INTERNAL_NO_PROXY, components: ['core', 'jobservice', 'trivy'] };
    m.trivy = { ...m.trivy, ignoreUnfixed: true, offlineScan: true, githubToken: 'ghp_x', securityCheck: 'vuln,secret', timeout: '10m0s' };
    const entries = trivyRenderer.render(ctxOf(m, { withTrivy: true }));
    expect(envLines(fileAt(entries, ENV).content)).toEqual([
      'SCANNER_LOG_LEVEL=info',
      'SCANNER_REDIS_URL=redis://redis:6379/5?idle_timeout_seconds=30',
      'SCANNER_STORE_REDIS_URL=redis://redis:6379/5?idle_timeout_seconds=30',
      'SCANNER_STORE_REDIS_NAMESPACE=harbor.scanner.trivy:store',
      'SCANNER_JOB_QUEUE_REDIS_URL=redis://redis:6379/5?idle_timeout_seconds=30',
      'SCANNER_JOB_QUEUE_REDIS_NAMESPACE=harbor.scanner.trivy:job-queue',
      'SCANNER_TRIVY_CACHE_DIR=/home/scanner/.cache/trivy',
      'SCANNER_TRIVY_REPORTS_DIR=/home/scanner/.cache/reports',
      'SCANNER_TRIVY_VULN_TYPE=os,library',
      'SCANNER_TRIVY_SEVERITY=UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
      'SCANNER_TRIVY_IGNORE_UNFIXED=True',
      'SCANNER_TRIVY_SKIP_UPDATE=False',
      'SCANNER_TRIVY_SKIP_JAVA_DB_UPDATE=False',
      'SCANNER_TRIVY_DB_REPOSITORY=ghcr.io/aquasecurity/trivy-db',
      'SCANNER_TRIVY_JAVA_DB_REPOSITORY=ghcr.io/aquasecurity/trivy-java-db',
      'SCANNER_TRIVY_OFFLINE_SCAN=True',
      'SCANNER_TRIVY_SECURITY_CHECKS=vuln,secret',
      'SCANNER_TRIVY_GITHUB_TOKEN=ghp_x',
      'SCANNER_TRIVY_INSECURE=False',
      'SCANNER_TRIVY_TIMEOUT=10m0s',
      'HTTP_PROXY=http://p:3128',
      'HTTPS_PROXY=http://ps:3129',
      `NO_PROXY=${INTERNAL_NO_PROXY}`,
    ]);
    expect([fileAt(entries, ENV).mode, fileAt(entries, ENV).owner]).toEqual([0o640, ROOT]);
    for (const p of ['trivy-adapter/trivy', 'trivy-adapter/reports']) {
      expect(entries).toContainEqual({ kind: 'dir', root: 'data', path: p, mode: 0o755, owner: HARBOR, contents: 'keep' });
    }
  });

  it('internal TLS adds the API server listener and pair; unlisted proxy component gets empty values', () => {
    const m = internalTlsModel();
    m.proxy = { httpProxy: 'http://p:3128', httpsProxy: '', noProxy: INTERNAL_NO_PROXY, components: ['core'] };
    const lines = envLines(fileAt(trivyRenderer.render(ctxOf(m, { withTrivy: true })), ENV).content);
    expect(lines.slice(-6)).toEqual([
      'HTTP_PROXY=',
      'HTTPS_PROXY=',
      'NO_PROXY=',
      'SCANNER_API_SERVER_ADDR=:8443',
      'SCANNER_API_SERVER_TLS_KEY=/etc/harbor/ssl/trivy_adapter.key',
      'SCANNER_API_SERVER_TLS_CERTIFICATE=/etc/harbor/ssl/trivy_adapter.crt',
    ]);
  });
});
