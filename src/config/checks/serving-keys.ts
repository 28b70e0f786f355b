/**
 * Keys that decide what is served and where the data lives. A misspelling of one of these is not
 * an ignorable unknown key: `htps:` or `extrenal_url:` silently turns an https setup into plain
 * http or serves the wrong URL, and `data_volum:` puts the registry's data in /data. So an unknown
 * key whose did-you-mean is one of them is an error (validate.ts checkUnknownKeys).
 */
import { STORAGE_PROVIDERS } from '../model.js';

export const SERVING_KEYS: ReadonlySet<string> = new Set([
  'hostname',
  'http',
  'http.port',
  'https',
  'https.port',
  'https.certificate',
  'https.private_key',
  'external_url',
  'data_volume',
  // a misspelt provider block (`s4:`) falls back to the filesystem driver
  ...STORAGE_PROVIDERS.map((p) => `storage_service.${p}`),
]);

/** Keys that only mean something under `https:`; written elsewhere they leave the result on http. */
export const HTTPS_ONLY_KEYS: ReadonlySet<string> = new Set(['certificate', 'private_key']);
