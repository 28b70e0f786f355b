import type { HarborRelease } from './types.js';

/** Harbor v2.15.2 (2026-07-01): valkey replaced redis-photon in this patch release. */
export const harborV2_15_2: HarborRelease = {
  version: 'v2.15.2',
  schemaVersion: '2.15.0',
  imagePrefix: 'goharbor',
  images: {
    log: 'harbor-log',
    registry: 'registry-photon',
    registryctl: 'harbor-registryctl',
    postgresql: 'harbor-db',
    core: 'harbor-core',
    portal: 'harbor-portal',
    jobservice: 'harbor-jobservice',
    redis: 'valkey-photon',
    proxy: 'nginx-photon',
    trivyAdapter: 'trivy-adapter-photon',
    exporter: 'harbor-exporter',
  },
  // harbor-db's entrypoint runs pg_upgrade 15 -> 18 on first start
  database: { postgresMajor: 18, upgradesFrom: [15] },
};
