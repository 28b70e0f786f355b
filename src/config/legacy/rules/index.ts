/**
 * Every harbor.cfg → harbor.yml mapping, in the order they run (the order of their messages, and
 * of the keys inside a block). The keys no rule claims go to leftovers.ts, which lists each one with
 * where it lives now, from the table in keys.ts.
 */
import type { LegacyRule } from './context.js';
import { DATABASE_RULES } from './database.js';
import { ENDPOINT_RULES } from './endpoint.js';
import { PROXY_AUTH_RULES } from './proxy-auth.js';
import { REDIS_RULES } from './redis.js';
import { RELEASE_RULES } from './release.js';
import { SETTINGS_RULES } from './settings.js';
import { STORAGE_RULES } from './storage.js';

export const LEGACY_RULES: readonly LegacyRule[] = [
  ...RELEASE_RULES,
  ...ENDPOINT_RULES,
  ...SETTINGS_RULES,
  ...DATABASE_RULES,
  ...REDIS_RULES,
  ...STORAGE_RULES,
  ...PROXY_AUTH_RULES,
];

export type { LegacyContext, LegacyRule } from './context.js';
export { STORAGE_PROVIDERS } from './storage.js';
