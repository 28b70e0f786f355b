import type { HarborRelease } from './types.js';
import { HARBOR_IMAGES } from './images.js';

/**
 * Harbor v2.15.2 (2026-07-01): valkey replaced redis-photon in this patch release; PostgreSQL 18.
 * Facts: goharbor/harbor make/photon/prepare/templates/ and make/photon/db/Dockerfile at v2.15.2.
 */
export const harborV2_15_2: HarborRelease = {
  version: 'v2.15.2',
  schemaVersion: '2.15.0',
  imagePrefix: 'goharbor',
  images: { ...HARBOR_IMAGES, redis: 'valkey-photon' },
  capabilities: { notary: false },
  // harbor-db's entrypoint runs pg_upgrade 15 -> 18 on first start
  database: { postgresMajor: 18, upgradesFrom: [15] },
  output: {
    proxy: { internalNoProxyExtra: [] },
    compose: {},
    core: {
      notaryEnv: false,
      proxyCacheRegistryTypes: ['docker-hub', 'harbor', 'azure-acr', 'ali-acr', 'aws-ecr', 'google-gcr', 'docker-registry', 'github-ghcr', 'jfrog-artifactory'],
      replicationAdapters: [
        'ali-acr', 'aws-ecr', 'azure-acr', 'docker-hub', 'docker-registry', 'github-ghcr', 'google-gcr', 'harbor',
        'huawei-SWR', 'jfrog-artifactory', 'tencent-tcr', 'volcengine-cr',
      ],
      syncQuota: false,
      quotaUpdateProvider: true,
    },
    registry: { redisUsername: true, redisEnableTls: true },
    trivy: { dbRepositories: true, skipJavaDbUpdate: true },
    jobservice: { maxJobDurationSeconds: false, logLevelEnv: true, configurableLoggers: true, maxUpdateHoursFromConfig: true },
    tls: { protocols: 'TLSv1.2 TLSv1.3', ipFamily: true, strongCiphers: true },
    nginx: { httpConsoleTimeouts: true },
    trust: { redisTlsCa: true },
  },
};
