import { describe, it, expect } from 'vitest';
import { buildRedisConfig, pyQuote } from '../../src/config/redis-urls.js';

describe('redis URLs as Harbor v2.15 builds them', () => {
  it('bundled redis: db 0 has no path, the idle timeout query is always there', () => {
    const r = buildRedisConfig(undefined, undefined);
    expect(r.external).toBe(false);
    expect(r.urls).toEqual({
      core: 'redis://redis:6379?idle_timeout_seconds=30',
      jobservice: 'redis://redis:6379/2?idle_timeout_seconds=30',
      registry: 'redis://redis:6379/1?idle_timeout_seconds=30',
      trivy: 'redis://redis:6379/5?idle_timeout_seconds=30',
    });
  });

  it('external redis with a password that needs escaping, a username and optional indexes', () => {
    const r = buildRedisConfig(undefined, {
      host: 'cache.example.com:6380',
      password: "p@ss:w/rd!'",
      username: 'harbor',
      registry_db_index: 3,
      harbor_db_index: 6,
      cache_layer_db_index: 7,
      idle_timeout_seconds: 60,
    });
    expect(r.external).toBe(true);
    expect(r.urls.registry).toBe("redis://harbor:p%40ss%3Aw%2Frd%21%27@cache.example.com:6380/3?idle_timeout_seconds=60");
    expect(r.urls.harbor).toBe('redis://harbor:p%40ss%3Aw%2Frd%21%27@cache.example.com:6380/6?idle_timeout_seconds=60');
    expect(r.urls.cacheLayer).toMatch(/\/7\?idle_timeout_seconds=60$/);
  });

  it('sentinel with TLS: rediss+sentinel scheme, master set before the db, and the CA is reported', () => {
    const r = buildRedisConfig(undefined, {
      host: 's1:26379,s2:26379',
      sentinel_master_set: 'mymaster',
      password: 'pw',
      tlsOptions: { enable: true, rootCA: '/etc/ssl/redis-ca.pem' },
    });
    expect(r.urls.jobservice).toBe('rediss+sentinel://:pw@s1:26379,s2:26379/mymaster/2?idle_timeout_seconds=30');
    expect(r.urls.core).toBe('rediss+sentinel://:pw@s1:26379,s2:26379/mymaster?idle_timeout_seconds=30');
    expect(r.tlsRootCA).toBe('/etc/ssl/redis-ca.pem');
  });

  it("the 'redis' block wins over external_redis values (Harbor's precedence), while external still drops the service", () => {
    const r = buildRedisConfig({ registry_db_index: 8 }, { host: 'ext:6379', password: 'x' });
    expect(r.external).toBe(true);
    expect(r.urls.registry).toBe('redis://redis:6379/8?idle_timeout_seconds=30');
  });

  it("pyQuote matches Python's quote(s, safe='')", () => {
    expect(pyQuote("a b/c?d=e&f!g'h(i)j*k~l")).toBe('a%20b%2Fc%3Fd%3De%26f%21g%27h%28i%29j%2Ak~l');
  });
});
