/**
 * Redis URLs the way Harbor v2.15 builds them (utils/configs.py get_redis_configs): the `redis`
 * block (bundled redis tuning) wins over `external_redis` values when both are set; only truthy
 * values override the defaults; db 0 has no path part; the idle timeout query is always present.
 */
import type { RedisConfig } from './model.js';

type RedisSettings = Record<string, unknown>;

const defaults: RedisSettings = {
  host: 'redis:6379',
  password: '',
  registry_db_index: 1,
  jobservice_db_index: 2,
  trivy_db_index: 5,
  idle_timeout_seconds: 30,
};

/** Python's urllib.parse.quote(s, safe=''): like encodeURIComponent but also escapes !'()* */
export function pyQuote(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function tlsEnabled(r: RedisSettings): boolean {
  const tls = r.tlsOptions as Record<string, unknown> | undefined;
  return Boolean(tls && typeof tls === 'object' && tls.enable);
}

export function redisUrl(db: unknown, r: RedisSettings): string {
  const sentinel = r.sentinel_master_set ? String(r.sentinel_master_set) : '';
  const scheme = (tlsEnabled(r) ? 'rediss' : 'redis') + (sentinel ? '+sentinel' : '');
  const password = r.password === undefined || r.password === null ? '' : pyQuote(String(r.password));
  const passwordPart = password ? `:${password}@` : '';
  const usernamePart = r.username ? String(r.username) : '';
  const sentinelPart = sentinel ? `/${sentinel}` : '';
  const dbPart = truthy(db) ? `/${db}` : '';
  const query = 'idle_timeout_seconds' in r ? `?idle_timeout_seconds=${encodeURIComponent(String(r.idle_timeout_seconds))}` : '';
  return `${scheme}://${usernamePart}${passwordPart}${r.host}${sentinelPart}${dbPart}${query}`;
}

export function buildRedisConfig(internal: RedisSettings | undefined, external: RedisSettings | undefined): RedisConfig {
  const merged: RedisSettings = { ...defaults };
  const overrides = internal && Object.keys(internal).length > 0 ? internal : (external ?? {});
  for (const [k, v] of Object.entries(overrides)) if (truthy(v)) merged[k] = v;
  const urls: RedisConfig['urls'] = {
    core: redisUrl(0, merged),
    jobservice: redisUrl(merged.jobservice_db_index, merged),
    registry: redisUrl(merged.registry_db_index, merged),
    trivy: redisUrl(merged.trivy_db_index, merged),
  };
  if (truthy(merged.harbor_db_index)) urls.harbor = redisUrl(merged.harbor_db_index, merged);
  if (truthy(merged.cache_layer_db_index)) urls.cacheLayer = redisUrl(merged.cache_layer_db_index, merged);
  const tls = merged.tlsOptions as Record<string, unknown> | undefined;
  return {
    external: Boolean(external && Object.keys(external).length > 0),
    urls,
    tlsRootCA: tlsEnabled(merged) && tls?.rootCA ? String(tls.rootCA) : undefined,
  };
}
