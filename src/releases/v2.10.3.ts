import type { HarborRelease } from './types.js';
import { harborV2_12_4 } from './v2.12.4.js';

/**
 * Harbor v2.10.3, a hop line of upgrades (src/upgrade/lines.ts): redis-photon, PostgreSQL 14
 * upgrading from 13 (make/photon/db/Dockerfile: ENTRYPOINT ["/docker-entrypoint.sh", "13", "14"]).
 * Against v2.12.4 its prepare (goharbor/harbor make/photon/prepare/ at v2.10.3) writes:
 * - docker_compose/docker-compose.yml.jinja: still starts with `version: '2.3'` (dropped in v2.12.0);
 * - core/env.jinja: no 'ali-acr' among the proxy-cache registry types;
 * - nginx.https.conf.jinja and portal/nginx.conf.jinja: `listen 8443 ssl;` only (ip_family is
 *   v2.11.0's), with TLSv1.2 TLSv1.3 and the strong_ssl_ciphers switch as later lines;
 * - nginx.http.conf.jinja: no proxy_send/read_timeout in `location /c/`.
 */
export const harborV2_10_3: HarborRelease = {
  ...harborV2_12_4,
  version: 'v2.10.3',
  schemaVersion: '2.10.0',
  database: { postgresMajor: 14, upgradesFrom: [13] },
  output: {
    ...harborV2_12_4.output,
    compose: { fileFormatVersion: '2.3' },
    core: {
      ...harborV2_12_4.output.core,
      proxyCacheRegistryTypes: ['docker-hub', 'harbor', 'azure-acr', 'aws-ecr', 'google-gcr', 'quay', 'docker-registry', 'github-ghcr', 'jfrog-artifactory'],
    },
    tls: { ...harborV2_12_4.output.tls, ipFamily: false },
    nginx: { httpConsoleTimeouts: false },
  },
};
