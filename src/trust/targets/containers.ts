/**
 * containers/image users (podman, skopeo, buildah, CRI-O): /etc/containers/certs.d/<host[:port]>/ca.crt.
 * The port must match image references exactly, hence both forms for 443 (see registry.ts).
 */
import { certsDirFiles, strayFileWarnings } from '../certs-dir.js';
import type { TrustTarget } from '../types.js';

export const CONTAINERS_CERTS_DIR = '/etc/containers/certs.d';

export const containersTarget: TrustTarget = {
  name: 'containers',
  consumers: 'podman, skopeo, buildah, CRI-O',
  async plan(req) {
    return { target: 'containers', files: certsDirFiles(CONTAINERS_CERTS_DIR, req), warnings: await strayFileWarnings(CONTAINERS_CERTS_DIR, req) };
  },
};
