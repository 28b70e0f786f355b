/**
 * Internal TLS (internal_tls.enabled): the CA and the per-service certificate/key pairs from
 * internal_tls.dir are copied to data_volume/secret/tls, where compose mounts them into each
 * service. Keys are 0600 and certificates 0644; the database's pair belongs to postgres (999),
 * everything else to the harbor user (10000).
 *
 * Harbor copies the whole directory. Rendering is pure (no directory listing), so we copy the
 * files Harbor requires for this deployment, which is every file a component reads: gencert's
 * leftovers (.csr, .srl, extfile.cnf) and pairs of services not deployed are not copied.
 */
import path from 'node:path';
import type { ComponentRenderer, CopiedFile, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, POSTGRES, ROOT } from '../types.js';
import { deployedServices } from './index.js';

import { INTERNAL_CA_FILE, INTERNAL_TLS_DATA_DIR } from '../compose/service.js';

export { INTERNAL_CA_FILE, INTERNAL_TLS_DATA_DIR };

/** The cert/key base names this deployment needs: the pair of every deployed service that has one. */
export function internalTlsPairs(ctx: RenderContext): string[] {
  return deployedServices(ctx).flatMap((s) => (s.tlsPair ? [s.tlsPair] : []));
}

export const internalTlsRenderer: ComponentRenderer = {
  name: 'internal-tls',
  render(ctx: RenderContext): RenderedEntry[] {
    const { enabled, dir } = ctx.config.internalTls;
    if (!enabled) return [];
    const copy = (name: string, mode: number, secret: boolean): CopiedFile => ({
      kind: 'copy',
      root: 'data',
      path: `${INTERNAL_TLS_DATA_DIR}/${name}`,
      from: path.posix.join(dir, name),
      mode,
      owner: name.startsWith('harbor_db.') ? POSTGRES : HARBOR,
      ...(secret ? { secret: true } : {}),
    });
    const files: CopiedFile[] = [copy(INTERNAL_CA_FILE, 0o644, false)];
    for (const base of internalTlsPairs(ctx)) {
      files.push(copy(`${base}.crt`, 0o644, false), copy(`${base}.key`, 0o600, true));
    }
    return [
      { kind: 'dir', root: 'data', path: INTERNAL_TLS_DATA_DIR, mode: 0o755, owner: ROOT, contents: 'managed' },
      ...files,
    ];
  },
};
