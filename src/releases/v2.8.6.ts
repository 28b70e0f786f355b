import type { HarborRelease } from './types.js';
import { HARBOR_IMAGES } from './images.js';

/**
 * Harbor v2.8.6, the last line with Notary (--with-notary; removed in v2.9.0): redis-photon,
 * PostgreSQL 13 with no upgrade path (make/photon/db/Dockerfile: ENTRYPOINT
 * ["/docker-entrypoint.sh", "", "13"]). What its prepare writes differently from the 2.13 line,
 * from goharbor/harbor make/photon/prepare/ at v2.8.6 (c090df90):
 * - docker-compose.yml.jinja starts with `version: '2.3'`;
 * - core/env.jinja: SYNC_QUOTA, WITH_NOTARY, NOTARY_URL, 'quay' among the proxy-cache types, no
 *   REPLICATION_ADAPTER_WHITELIST and no QUOTA_UPDATE_PROVIDER;
 * - g.py INTERNAL_NO_PROXY_DN also names notary-server and notary-signer;
 * - jobservice/config.yml.jinja: the fixed STD_OUTPUT + FILE loggers and max_update_hours 24;
 *   jobservice/env.jinja has no LOG_LEVEL (nor MAX_JOB_DURATION_SECONDS);
 * - nginx.https.conf.jinja and portal/nginx.conf.jinja: `listen 8443 ssl;` only, TLSv1.2 only, the
 *   fixed cipher list; nginx.http.conf.jinja: no timeouts in `location /c/`;
 * - registry/config.yml.jinja: no username: or enableTLS: in the redis block;
 * - trivy-adapter/env.jinja: no SKIP_JAVA_DB_UPDATE, DB_REPOSITORY, JAVA_DB_REPOSITORY;
 * - utils/cert.py prepare_trust_ca: no redis_tls_ca.crt (no rediss in utils/configs.py either:
 *   external_redis.tlsOptions is a key this line does not read, src/config/key-lifetimes.ts).
 */
export const harborV2_8_6: HarborRelease = {
  version: 'v2.8.6',
  schemaVersion: '2.8.0',
  imagePrefix: 'goharbor',
  images: { ...HARBOR_IMAGES, redis: 'redis-photon', notaryServer: 'notary-server-photon', notarySigner: 'notary-signer-photon' },
  capabilities: { notary: true },
  database: { postgresMajor: 13, upgradesFrom: [] },
  output: {
    proxy: { internalNoProxyExtra: ['notary-server', 'notary-signer'] },
    compose: { fileFormatVersion: '2.3' },
    core: {
      proxyCacheRegistryTypes: ['docker-hub', 'harbor', 'azure-acr', 'aws-ecr', 'google-gcr', 'quay', 'docker-registry', 'github-ghcr', 'jfrog-artifactory'],
      replicationAdapters: undefined,
      syncQuota: true,
      quotaUpdateProvider: false,
      notaryEnv: true,
    },
    registry: { redisUsername: false, redisEnableTls: false },
    trivy: { dbRepositories: false, skipJavaDbUpdate: false },
    jobservice: { maxJobDurationSeconds: false, logLevelEnv: false, configurableLoggers: false, maxUpdateHoursFromConfig: false },
    tls: { protocols: 'TLSv1.2', ipFamily: false, strongCiphers: false },
    nginx: { httpConsoleTimeouts: false },
    trust: { redisTlsCa: false },
  },
};
