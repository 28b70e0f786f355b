/**
 * Redis: redis_host/redis_port/redis_password (1.6+) or redis_url (1.4–1.5) for an external server,
 * and redis_db_index. The bundled redis (redis:6379) has no password and needs no harbor.yml key.
 */
import { parseLegacyInt, parseRedisDbIndex, parseRedisUrl, splitHostPort } from '../values.js';
import type { CfgEntry } from '../parse.js';
import type { LegacyRule } from './context.js';

const redisHost: LegacyRule = {
  name: 'redis_host and redis_port',
  reads: ['redis_host', 'redis_port', 'redis_password'],
  writes: ['external_redis.host', 'external_redis.password'],
  apply(ctx) {
    const hostEntry = ctx.entry('redis_host');
    const portEntry = ctx.entry('redis_port');
    const passwordEntry = ctx.entry('redis_password');
    if (!hostEntry && !portEntry) return;
    const host = hostEntry?.value || 'redis';
    const port = portEntry?.value || '6379';
    if (host === 'redis' && port === '6379') {
      if (passwordEntry && passwordEntry.value !== '') {
        ctx.warn('W_CFG_IGNORED_VALUE', 'redis_password is ignored: redis_host redis is the bundled redis, which has no password', 'Delete the value, or point redis_host at your own redis server.', passwordEntry);
      }
      return;
    }
    if (parseLegacyInt(port) === undefined) {
      ctx.error('E_CFG_NOT_INTEGER', `redis_port = ${JSON.stringify(port)} is not a port number`, 'Set redis_port to the redis port, e.g. 6379.', portEntry, 'external_redis.host');
      return;
    }
    ctx.set('external_redis.host', `${host}:${port}`, hostEntry, portEntry);
    if (passwordEntry && passwordEntry.value !== '') ctx.set('external_redis.password', passwordEntry.value, passwordEntry);
    ctx.origin('external_redis', [(hostEntry ?? portEntry) as CfgEntry]);
  },
};

const redisUrl: LegacyRule = {
  name: 'redis_url',
  reads: ['redis_url'],
  // legacy prepare read redis_url only when neither redis_host nor redis_port was there
  consults: ['redis_host', 'redis_port'],
  writes: ['external_redis.host', 'external_redis.password'],
  apply(ctx) {
    const url = ctx.entry('redis_url');
    if (ctx.entry('redis_host') || ctx.entry('redis_port') || !url || url.value === '') return;
    const parsed = parseRedisUrl(url.value);
    if (parsed.host === 'redis:6379') {
      if (parsed.password !== '') {
        ctx.warn('W_CFG_IGNORED_VALUE', 'the password in redis_url is ignored: redis:6379 is the bundled redis, which has no password', 'Delete the password part, or point redis_url at your own redis server.', url);
      }
      return;
    }
    if (!splitHostPort(parsed.host)) {
      ctx.error('E_CFG_REDIS_URL', 'redis_url does not start with host:port', 'Write redis_url as host:port[,weight,password,db_index], e.g. redis.example.com:6379.', url, 'external_redis.host');
      return;
    }
    ctx.set('external_redis.host', parsed.host, url);
    if (parsed.password !== '') ctx.set('external_redis.password', parsed.password, url);
    ctx.origin('external_redis', [url]);
    if (parsed.dbIndex !== '') {
      ctx.warn(
        'W_CFG_IGNORED_VALUE',
        'the db_index part of redis_url has no place in Harbor v2.15, which uses one redis database per component (registry 1, jobservice 2, trivy 5)',
        'Check that those database numbers are free on your redis server.',
        url,
        'external_redis',
      );
    }
  },
};

const dbIndex: LegacyRule = {
  name: 'redis_db_index',
  reads: ['redis_db_index'],
  writes: ['redis.registry_db_index', 'redis.jobservice_db_index', 'external_redis.registry_db_index', 'external_redis.jobservice_db_index'],
  apply(ctx) {
    const entry = ctx.entry('redis_db_index');
    if (!entry || entry.value === '') return;
    // The rules above create external_redis exactly when the file names a redis server of its own.
    const block = ctx.data.external_redis !== undefined ? 'external_redis' : 'redis';
    const parsed = parseRedisDbIndex(entry.value);
    if (!parsed) {
      ctx.error('E_CFG_REDIS_DB_INDEX', `redis_db_index = ${JSON.stringify(entry.value)} is not "registry,jobservice,chartmuseum" database numbers`, 'Write it like the shipped default: redis_db_index = 1,2,3.', entry, block);
      return;
    }
    if (parsed.registry !== 1 || parsed.jobservice !== 2) {
      ctx.set(`${block}.registry_db_index`, parsed.registry, entry);
      ctx.set(`${block}.jobservice_db_index`, parsed.jobservice, entry);
      ctx.origin(block, ctx.origins.get(block) ?? [entry]);
    }
    if (parsed.registry === 0 || parsed.jobservice === 0) {
      ctx.warn('W_CFG_REDIS_DB_INDEX', 'redis_db_index uses database 0, which Harbor v2.15 reserves for core', 'Use other database numbers, e.g. redis_db_index = 1,2,3.', entry, block);
    }
  },
};

export const REDIS_RULES: readonly LegacyRule[] = [redisHost, redisUrl, dbIndex];
