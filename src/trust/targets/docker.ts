/** Docker Engine: /etc/docker/certs.d/<host[:port]>/ca.crt, read on every connection. */
import { certsDirFiles, strayFileWarnings } from '../certs-dir.js';
import type { TrustTarget } from '../types.js';

export const DOCKER_CERTS_DIR = '/etc/docker/certs.d';

export const dockerTarget: TrustTarget = {
  name: 'docker',
  consumers: 'Docker Engine (docker pull/push/login)',
  async plan(req) {
    return { target: 'docker', files: certsDirFiles(DOCKER_CERTS_DIR, req), warnings: await strayFileWarnings(DOCKER_CERTS_DIR, req) };
  },
};
