import type { MigrationStep } from './types.js';

/** 1.10.0 → 2.0.0: external_redis.host takes host:port (and a sentinel host list); the port key is gone. */
export const step: MigrationStep = {
  version: '2.0.0',
  changes: [
    { kind: 'joinPort', key: 'external_redis.host', with: 'external_redis.port', why: 'Harbor v2.0 reads external_redis.host as host:port', model: ['redis.urls'] },
  ],
};
