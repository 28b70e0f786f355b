import type { MigrationStep } from './types.js';

const CHART = 'ChartMuseum was removed in Harbor v2.8 (Helm charts are OCI artifacts now)';

/** 2.7.0 → 2.8.0: ChartMuseum removed, redirect.disabled renamed, two keys read with hard lookups. */
export const step: MigrationStep = {
  version: '2.8.0',
  changes: [
    { kind: 'remove', key: 'chart', why: CHART },
    { kind: 'remove', key: 'external_redis.chartmuseum_db_index', why: CHART },
    { kind: 'rename', from: 'storage_service.redirect.disabled', to: 'storage_service.redirect.disable', why: 'Harbor v2.8 renamed storage_service.redirect.disabled to disable', model: ['storage.redirectDisable'] },
    { kind: 'add', key: 'jobservice.logger_sweeper_duration', value: 1, why: 'v2.8 prepare reads jobservice.logger_sweeper_duration (days) with a hard lookup', model: ['jobservice.loggerSweeperDuration'] },
    { kind: 'add', key: 'notification.webhook_job_http_client_timeout', value: 3, why: 'v2.8 prepare reads notification.webhook_job_http_client_timeout (seconds) with a hard lookup', model: ['notification.webhookJobHttpClientTimeout'] },
  ],
};
