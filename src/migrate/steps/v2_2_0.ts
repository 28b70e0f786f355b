import type { MigrationStep } from './types.js';

const CLAIR = 'Clair was removed in Harbor v2.2 (use --with-trivy for scanning)';

/** 2.1.0 → 2.2.0: Clair removed. */
export const step: MigrationStep = {
  version: '2.2.0',
  changes: [
    { kind: 'remove', key: 'clair', why: CLAIR },
    { kind: 'remove', key: 'external_database.clair', why: CLAIR },
    { kind: 'remove', key: 'external_redis.clair_db_index', why: CLAIR },
    { kind: 'removeItem', key: 'proxy.components', item: 'clair', why: CLAIR, model: ['proxy.components'] },
  ],
};
