import type { HarborRelease } from './types.js';
import { harborV2_13_5 } from './v2.13.5.js';

/**
 * Harbor v2.12.4, a hop line of upgrades (src/upgrade/lines.ts): redis-photon, PostgreSQL 15
 * upgrading from 14 (make/photon/db/Dockerfile: ENTRYPOINT ["/docker-entrypoint.sh", "14", "15"]).
 * Against v2.13.5 its prepare (goharbor/harbor make/photon/prepare/ at v2.12.4) writes:
 * - jobservice/env.jinja: no LOG_LEVEL and no MAX_JOB_DURATION_SECONDS;
 * - jobservice/config.yml.jinja: reaper.max_update_hours a fixed 24 (no max_job_duration_hours,
 *   which make/harbor.yml.tmpl gains in v2.13.0);
 * - registry/config.yml.jinja: no enableTLS: in the redis block (utils/registry.py has no rediss);
 * - utils/cert.py prepare_trust_ca: no redis_tls_ca.crt (external_redis.tlsOptions is v2.13.0's).
 */
export const harborV2_12_4: HarborRelease = {
  ...harborV2_13_5,
  version: 'v2.12.4',
  schemaVersion: '2.12.0',
  database: { postgresMajor: 15, upgradesFrom: [14] },
  output: {
    ...harborV2_13_5.output,
    registry: { ...harborV2_13_5.output.registry, redisEnableTls: false },
    jobservice: { ...harborV2_13_5.output.jobservice, maxJobDurationSeconds: false, logLevelEnv: false, maxUpdateHoursFromConfig: false },
    trust: { redisTlsCa: false },
  },
};
