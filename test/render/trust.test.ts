/** common/config/shared/trust-certificates (goharbor/harbor make/photon/prepare at v2.15.2). */
import { describe, it, expect } from 'vitest';
import { trustRenderer } from '../../src/render/components/trust.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import { baseModel, ctxOf, internalTlsModel } from './fixtures/model-r2.js';

const DIR = 'common/config/shared/trust-certificates';

describe('trust renderer', () => {
  it('always the managed dir, 0755 root; nothing in it when no CA is configured', () => {
    expect(trustRenderer.render(ctxOf(baseModel()))).toEqual([
      { kind: 'dir', root: 'install', path: DIR, mode: 0o755, owner: ROOT, contents: 'managed' },
    ]);
  });

  it('internal CA, storage CA bundle and redis TLS root CA under their fixed names, 0644 harbor', () => {
    const m = internalTlsModel('/etc/harbor/tls/internal');
    m.storage.caBundle = '/etc/ssl/minio-ca.pem';
    m.redis.tlsRootCA = '/etc/ssl/redis/ca.crt';
    const copies = trustRenderer.render(ctxOf(m)).filter((e) => e.kind === 'copy');
    expect(copies).toEqual([
      { kind: 'copy', root: 'install', path: `${DIR}/harbor_internal_ca.crt`, from: '/etc/harbor/tls/internal/harbor_internal_ca.crt', mode: 0o644, owner: HARBOR },
      { kind: 'copy', root: 'install', path: `${DIR}/storage_ca_bundle.crt`, from: '/etc/ssl/minio-ca.pem', mode: 0o644, owner: HARBOR },
      { kind: 'copy', root: 'install', path: `${DIR}/redis_tls_ca.crt`, from: '/etc/ssl/redis/ca.crt', mode: 0o644, owner: HARBOR },
    ]);
  });

  it('only the configured ones', () => {
    const m = baseModel();
    m.redis.tlsRootCA = '/etc/ssl/redis/ca.crt';
    expect(trustRenderer.render(ctxOf(m)).filter((e) => e.kind === 'copy').map((e) => e.path)).toEqual([`${DIR}/redis_tls_ca.crt`]);
  });
});
