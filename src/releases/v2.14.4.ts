import type { HarborRelease } from './types.js';
import { HARBOR_IMAGES } from './images.js';
import { harborV2_15_2 } from './v2.15.2.js';

/**
 * Harbor v2.14.4: redis-photon, PostgreSQL 15 (upgrades from 14). Against v2.15.2 its prepare
 * writes SYNC_QUOTA in core/env, no redis username in registry/config.yml, no trivy DB
 * repositories (make/photon/prepare/templates/ at v2.14.4).
 */
export const harborV2_14_4: HarborRelease = {
  version: 'v2.14.4',
  schemaVersion: '2.14.0',
  imagePrefix: 'goharbor',
  images: { ...HARBOR_IMAGES },
  capabilities: { notary: false },
  // make/photon/db/Dockerfile: ENTRYPOINT ["/docker-entrypoint.sh", "14", "15"]
  database: { postgresMajor: 15, upgradesFrom: [14] },
  output: {
    ...harborV2_15_2.output,
    core: { ...harborV2_15_2.output.core, syncQuota: true },
    registry: { ...harborV2_15_2.output.registry, redisUsername: false },
    trivy: { ...harborV2_15_2.output.trivy, dbRepositories: false },
  },
};
