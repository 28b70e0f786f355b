/**
 * registry/config.yml and registry/passwd against Harbor v2.15.2 (goharbor/harbor make/photon/prepare at v2.15.2),
 * read back with a YAML parser: the keys and values distribution sees.
 */
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { registryRenderer } from '../../src/render/components/registry.js';
import { parseRegistryRedisUrl } from '../../src/render/components/registry/redis-url.js';
import { HARBOR, ROOT } from '../../src/render/types.js';
import type { HarborConfig } from '../../src/config/model.js';
import { baseModel, ctxOf, fileAt, internalTlsModel } from './fixtures/model-r2.js';

const CONFIG = 'common/config/registry/config.yml';

function renderConfig(m: HarborConfig): any {
  return parse(fileAt(registryRenderer.render(ctxOf(m)), CONFIG).content.toString());
}

describe('registry config.yml', () => {
  it('the shipped harbor.yml: the whole document', () => {
    expect(renderConfig(baseModel())).toEqual({
      version: 0.1,
      log: { level: 'info', fields: { service: 'registry' } },
      storage: {
        cache: { layerinfo: 'redis' },
        filesystem: { rootdirectory: '/storage' },
        maintenance: { uploadpurging: { enabled: true, age: '168h', interval: '24h', dryrun: false } },
        delete: { enabled: true },
      },
      redis: {
        addr: 'redis:6379',
        readtimeout: '10s',
        writetimeout: '10s',
        dialtimeout: '10s',
        password: null,
        username: null,
        db: 1,
        enableTLS: false,
        pool: { maxidle: 100, maxactive: 500, idletimeout: '60s' },
      },
      http: { addr: ':5000', secret: 'placeholder', debug: { addr: 'localhost:5001' } },
      auth: { htpasswd: { realm: 'harbor-registry-basic-realm', path: '/etc/registry/passwd' } },
      validation: { disabled: true },
      compatibility: { schema1: { enabled: true } },
    });
  });

  it('modes and owners: config 0640 harbor, passwd 0644 root, data dir registry 0755 harbor', () => {
    const entries = registryRenderer.render(ctxOf(baseModel()));
    const cfg = fileAt(entries, CONFIG);
    expect([cfg.mode, cfg.owner]).toEqual([0o640, HARBOR]);
    const pw = fileAt(entries, 'common/config/registry/passwd');
    expect([pw.mode, pw.owner]).toEqual([0o644, ROOT]);
    expect(entries).toContainEqual({ kind: 'dir', root: 'data', path: 'registry', mode: 0o755, owner: HARBOR, contents: 'keep', recursiveOwner: true });
  });

  it('passwd is the kept htpasswd line plus one newline', () => {
    const ctx = ctxOf(baseModel());
    const pw = fileAt(registryRenderer.render(ctx), 'common/config/registry/passwd').content.toString();
    expect(pw).toBe(`${ctx.secrets.registryHtpasswd}\n`);
    ctx.secrets.registryHtpasswd += '\n';
    expect(fileAt(registryRenderer.render(ctx), 'common/config/registry/passwd').content.toString()).toBe(pw);
  });

  it('log level warning is spelled warn', () => {
    const m = baseModel();
    m.log.level = 'warning';
    expect(renderConfig(m).log.level).toBe('warn');
  });

  it('upload purging disabled: only enabled: false', () => {
    const m = baseModel();
    m.uploadPurging = { enabled: false, age: '168h', interval: '24h', dryrun: false };
    expect(renderConfig(m).storage.maintenance).toEqual({ uploadpurging: { enabled: false } });
    m.uploadPurging = { enabled: true, age: '72h', interval: '12h', dryrun: true };
    expect(renderConfig(m).storage.maintenance.uploadpurging).toEqual({ enabled: true, age: '72h', interval: '12h', dryrun: true });
  });

  it('s3 with redirect disabled: provider keys keep their types, redirect.disable true, no rootdirectory', () => {
    const m = baseModel();
    m.storage = {
      provider: 's3',
      providerConfig: {
        accesskey: 'AKIA', secretkey: 'se:cr#et', region: 'us-west-1', regionendpoint: 'http://minio:9000',
        bucket: 'harbor', secure: false, v4auth: true, chunksize: 5242880, multipartcopymaxconcurrency: 1,
        rootdirectory: '/registry',
      },
      caBundle: '',
      redirectDisable: true,
    };
    const doc = renderConfig(m);
    expect(doc.storage.s3).toEqual(m.storage.providerConfig);
    expect(doc.storage.redirect).toEqual({ disable: true });
    expect(doc.storage.filesystem).toBeUndefined();
    // Harbor's flat formatter would have turned the integer 1 into `true`; we keep the meaning.
    expect(doc.storage.s3.multipartcopymaxconcurrency).toBe(1);
  });

  it('redirect block present but not disabling: no redirect section', () => {
    const m = baseModel();
    m.storage.redirectDisable = false;
    expect(renderConfig(m).storage.redirect).toBeUndefined();
  });

  it('gcs keyfile is rewritten to the in-container path', () => {
    const m = baseModel();
    m.storage = { provider: 'gcs', providerConfig: { bucket: 'b', keyfile: '/home/ops/gcs.json', chunksize: 5242880 }, caBundle: '' };
    expect(renderConfig(m).storage.gcs).toEqual({ bucket: 'b', keyfile: '/etc/registry/gcs.key', chunksize: 5242880 });
    expect(m.storage.providerConfig.keyfile).toBe('/home/ops/gcs.json'); // the model is not mutated
  });

  it('filesystem with its own rootdirectory and maxthreads keeps them', () => {
    const m = baseModel();
    m.storage = { provider: 'filesystem', providerConfig: { rootdirectory: '/mnt/images', maxthreads: 100 }, caBundle: '' };
    expect(renderConfig(m).storage.filesystem).toEqual({ rootdirectory: '/mnt/images', maxthreads: 100 });
  });

  it('nested provider values (swift, azure) stay YAML maps, not Python reprs', () => {
    const m = baseModel();
    m.storage = { provider: 'swift', providerConfig: { authurl: 'https://ks/v3', domainid: null, tempurlmethods: ['GET'] }, caBundle: '' };
    expect(renderConfig(m).storage.swift).toEqual({ authurl: 'https://ks/v3', domainid: null, tempurlmethods: ['GET'] });
  });

  it('external redis with a password needing URL-encoding and YAML quoting', () => {
    const m = baseModel();
    m.redis = {
      external: true,
      urls: {
        core: 'redis://:p%40ss%3Aw%23rd@redis.corp:6380?idle_timeout_seconds=30',
        jobservice: 'redis://:p%40ss%3Aw%23rd@redis.corp:6380/2?idle_timeout_seconds=30',
        registry: 'redis://:p%40ss%3Aw%23rd@redis.corp:6380/3?idle_timeout_seconds=30',
        trivy: 'redis://:p%40ss%3Aw%23rd@redis.corp:6380/5?idle_timeout_seconds=30',
      },
    };
    const text = fileAt(registryRenderer.render(ctxOf(m)), CONFIG).content.toString();
    const redis = parse(text).redis;
    expect(redis).toMatchObject({ addr: 'redis.corp:6380', password: 'p@ss:w#rd', username: null, db: 3, enableTLS: false });
    expect(redis.sentinelMasterSet).toBeUndefined();
  });

  it('sentinel + TLS + username: host list, master set, db and enableTLS', () => {
    const m = baseModel();
    m.redis.urls.registry = 'rediss+sentinel://harbor:s3cret@s1:26379,s2:26379,s3:26379/mymaster/4?idle_timeout_seconds=60';
    const redis = renderConfig(m).redis;
    expect(redis).toMatchObject({
      addr: 's1:26379,s2:26379,s3:26379',
      sentinelMasterSet: 'mymaster',
      username: 'harbor',
      password: 's3cret',
      db: 4,
      enableTLS: true,
    });
  });

  it('a numeric-looking password stays a string', () => {
    const m = baseModel();
    m.redis.urls.registry = 'redis://:123456@redis:6379/1?idle_timeout_seconds=30';
    expect(renderConfig(m).redis.password).toBe('123456');
  });

  it('internal TLS: :5443 with the mounted cert/key and TLS 1.2 minimum', () => {
    expect(renderConfig(internalTlsModel()).http).toEqual({
      addr: ':5443',
      tls: { certificate: '/etc/harbor/tls/registry.crt', key: '/etc/harbor/tls/registry.key', minimumtls: 'tls1.2' },
      secret: 'placeholder',
      debug: { addr: 'localhost:5001' },
    });
  });

  it('metrics: debug listener on the metric port with prometheus at the metric path', () => {
    const m = baseModel();
    m.metric = { enabled: true, port: 9091, path: '/metrics' };
    expect(renderConfig(m).http.debug).toEqual({ addr: ':9091', prometheus: { enabled: true, path: '/metrics' } });
  });
});

describe('parseRegistryRedisUrl (Harbor re-parses the URL it built)', () => {
  it('bundled defaults', () => {
    expect(parseRegistryRedisUrl('redis://redis:6379/1?idle_timeout_seconds=30')).toEqual({
      addr: 'redis:6379', sentinelMasterSet: undefined, username: '', password: '', db: 1, tls: false,
    });
    expect(parseRegistryRedisUrl('redis://redis:6379?idle_timeout_seconds=30').db).toBe(0);
  });

  it('rediss and sentinel without a db index', () => {
    expect(parseRegistryRedisUrl('rediss://:pw@r:6379/2')).toMatchObject({ addr: 'r:6379', password: 'pw', db: 2, tls: true });
    expect(parseRegistryRedisUrl('redis+sentinel://:pw@a:1,b:2/mm?idle_timeout_seconds=30')).toMatchObject({
      addr: 'a:1,b:2', sentinelMasterSet: 'mm', db: 0, tls: false,
    });
  });

  it('IPv6 hosts are kept as written', () => {
    expect(parseRegistryRedisUrl('redis://:pw@[fd00::10]:6379/1').addr).toBe('[fd00::10]:6379');
  });

  it('rejects other schemes', () => {
    expect(() => parseRegistryRedisUrl('http://redis:6379/1')).toThrow(/bad redis url/);
  });
});
