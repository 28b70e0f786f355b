import type { MigrationStep } from './types.js';

/** 1.9.0 → 1.10.0: log.* moved under log.local; notification (webhooks) is new and read with a hard lookup. */
export const step: MigrationStep = {
  version: '1.10.0',
  changes: [
    { kind: 'rename', from: 'log.rotate_count', to: 'log.local.rotate_count', why: 'Harbor v1.10 moved the local log settings under log.local', model: ['log.local.rotateCount'] },
    { kind: 'rename', from: 'log.rotate_size', to: 'log.local.rotate_size', why: 'Harbor v1.10 moved the local log settings under log.local', model: ['log.local.rotateSize'] },
    { kind: 'rename', from: 'log.location', to: 'log.local.location', why: 'Harbor v1.10 moved the local log settings under log.local', model: ['log.local.location'] },
    { kind: 'add', key: 'notification.webhook_job_max_retry', value: 10, why: "webhooks are new in v1.10; prepare reads notification.webhook_job_max_retry with a hard lookup (v1.10's default: 10)", model: ['notification.webhookJobMaxRetry'] },
  ],
};
