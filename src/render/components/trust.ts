/**
 * common/config/shared/trust-certificates, mounted at /harbor_cust_cert in every component: at
 * start each image appends the *.crt files found there to its system CA bundle. Holds only the CAs
 * the configuration names: the internal-TLS CA, the storage backend's CA bundle and the external
 * Redis TLS root CA. The directory is regctl's alone (rebuilt from scratch, like Harbor's).
 */
import path from 'node:path';
import type { ComponentRenderer, CopiedFile, RenderContext, RenderedEntry } from '../types.js';
import { HARBOR, ROOT } from '../types.js';
import { INTERNAL_CA_FILE } from '../compose/service.js';

export const TRUST_DIR = 'common/config/shared/trust-certificates';

export const trustRenderer: ComponentRenderer = {
  name: 'trust',
  render(ctx: RenderContext): RenderedEntry[] {
    const c = ctx.config;
    const sources: [string, string][] = [];
    if (c.internalTls.enabled) sources.push([path.posix.join(c.internalTls.dir, INTERNAL_CA_FILE), INTERNAL_CA_FILE]);
    if (c.storage.caBundle) sources.push([c.storage.caBundle, 'storage_ca_bundle.crt']);
    if (c.redis.tlsRootCA && ctx.release.output.trust.redisTlsCa) sources.push([c.redis.tlsRootCA, 'redis_tls_ca.crt']);
    const copies: CopiedFile[] = sources.map(([from, name]) => ({
      kind: 'copy',
      root: 'install',
      path: `${TRUST_DIR}/${name}`,
      from,
      mode: 0o644,
      owner: HARBOR,
    }));
    return [{ kind: 'dir', root: 'install', path: TRUST_DIR, mode: 0o755, owner: ROOT, contents: 'managed' }, ...copies];
  },
};
