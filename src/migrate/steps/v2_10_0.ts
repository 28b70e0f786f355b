import type { MigrationStep } from './types.js';

/**
 * → 2.10.0: no key this release reads with a hard lookup is new, none is renamed or removed; the
 * keys its template adds are read with defaults equal to the template's (so they are not written).
 */
export const step: MigrationStep = { version: '2.10.0', changes: [] };
