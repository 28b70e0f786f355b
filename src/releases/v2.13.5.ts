import type { HarborRelease } from './types.js';
import { harborV2_14_4 } from './v2.14.4.js';

/**
 * Harbor v2.13.5: as v2.14.4, plus 'quay' among the proxy-cache registry types, no
 * REPLICATION_ADAPTER_WHITELIST (added in v2.14.0) and MAX_JOB_DURATION_SECONDS in jobservice/env
 * (make/photon/prepare/templates/core/env.jinja and jobservice/env.jinja at v2.13.5).
 */
export const harborV2_13_5: HarborRelease = {
  ...harborV2_14_4,
  version: 'v2.13.5',
  schemaVersion: '2.13.0',
  output: {
    ...harborV2_14_4.output,
    core: {
      ...harborV2_14_4.output.core,
      proxyCacheRegistryTypes: ['docker-hub', 'harbor', 'azure-acr', 'ali-acr', 'aws-ecr', 'google-gcr', 'quay', 'docker-registry', 'github-ghcr', 'jfrog-artifactory'],
      replicationAdapters: undefined,
    },
    jobservice: { ...harborV2_14_4.output.jobservice, maxJobDurationSeconds: true },
  },
};
