/** Internal TLS material copied into data_volume/secret/tls (goharbor/harbor make/photon/prepare at v2.15.2). */
import { describe, it, expect } from 'vitest';
import { internalTlsRenderer } from '../../src/render/components/internal-tls.js';
import { HARBOR, POSTGRES, ROOT, type CopiedFile } from '../../src/render/types.js';
import { baseModel, ctxOf, internalTlsModel } from './fixtures/model-r2.js';

const copiesOf = (entries: ReturnType<typeof internalTlsRenderer.render>) =>
  entries.filter((e): e is CopiedFile => e.kind === 'copy');

describe('internal TLS renderer', () => {
  it('renders nothing while internal TLS is off', () => {
    expect(internalTlsRenderer.render(ctxOf(baseModel()))).toEqual([]);
  });

  it('bundled DB, no trivy: CA + the seven pairs Harbor requires; keys 0600, certs 0644; harbor_db owned by postgres', () => {
    const entries = internalTlsRenderer.render(ctxOf(internalTlsModel('/etc/harbor/tls/internal')));
    expect(entries[0]).toEqual({ kind: 'dir', root: 'data', path: 'secret/tls', mode: 0o755, owner: ROOT, contents: 'managed' });
    const copies = copiesOf(entries);
    expect(copies.map((c) => c.path.replace('secret/tls/', '')).sort()).toEqual([
      'core.crt', 'core.key', 'harbor_db.crt', 'harbor_db.key', 'harbor_internal_ca.crt', 'job_service.crt', 'job_service.key',
      'portal.crt', 'portal.key', 'proxy.crt', 'proxy.key', 'registry.crt', 'registry.key', 'registryctl.crt', 'registryctl.key',
    ]);
    for (const c of copies) {
      const name = c.path.split('/').pop()!;
      expect(c.root).toBe('data');
      expect(c.from).toBe(`/etc/harbor/tls/internal/${name}`);
      expect(c.mode).toBe(name.endsWith('.key') ? 0o600 : 0o644);
      expect(c.owner).toEqual(name.startsWith('harbor_db.') ? POSTGRES : HARBOR);
      expect(Boolean(c.secret)).toBe(name.endsWith('.key'));
    }
  });

  it('--with-trivy adds the trivy_adapter pair; an external DB drops harbor_db', () => {
    const m = internalTlsModel('/tls');
    m.database = { ...m.database, external: true, host: 'pg.corp' };
    const names = copiesOf(internalTlsRenderer.render(ctxOf(m, { withTrivy: true }))).map((c) => c.path);
    expect(names).toContain('secret/tls/trivy_adapter.crt');
    expect(names).toContain('secret/tls/trivy_adapter.key');
    expect(names.some((n) => n.includes('harbor_db'))).toBe(false);
  });
});
