import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildComposeDocument, composeRenderer, renderCompose, type BindMount, type ComposeDocument } from '../../src/render/components/compose.js';
import { ROOT } from '../../src/render/types.js';
import { contextR1, type ModelR1Options } from './fixtures/model-r1.js';
import { createComposeSources, dockerCompose } from './fixtures/compose-r1.js';
import { tempDirSync } from '../helpers/tmp.js';

function doc(o: ModelR1Options = {}, withTrivy = false, imagePrefix?: string): ComposeDocument {
  const ctx = contextR1(o, { withTrivy, imagePrefix });
  return buildComposeDocument(ctx.config, ctx.release, withTrivy, imagePrefix);
}
const binds = (d: ComposeDocument, svc: string) => (d.services[svc]!.volumes ?? []).filter((v): v is BindMount => typeof v !== 'string');
const shorts = (d: ComposeDocument, svc: string) => (d.services[svc]!.volumes ?? []).filter((v): v is string => typeof v === 'string');
const TRUST = { type: 'bind', source: './common/config/shared/trust-certificates', target: '/harbor_cust_cert' };

describe('compose renderer: the entry', () => {
  it('writes docker-compose.yml at the install root, 0644 root, as YAML that parses back to the document', () => {
    const ctx = contextR1({ https: {}, metric: {} }, { withTrivy: true });
    const [entry, ...rest] = composeRenderer.render(ctx);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ kind: 'file', root: 'install', path: 'docker-compose.yml', mode: 0o644, owner: ROOT });
    const parsed = parse(renderCompose(ctx));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(buildComposeDocument(ctx.config, ctx.release, true))));
    expect(parsed).not.toHaveProperty('version');
  });
});

describe('compose document: the default (bundled db and redis, http)', () => {
  const d = doc();
  it('has Harbor\'s services, container names and release images', () => {
    const names = Object.fromEntries(Object.entries(d.services).map(([k, s]) => [k, [s.container_name, s.image]]));
    expect(names).toEqual({
      log: ['harbor-log', 'goharbor/harbor-log:v2.15.2'],
      registry: ['registry', 'goharbor/registry-photon:v2.15.2'],
      registryctl: ['registryctl', 'goharbor/harbor-registryctl:v2.15.2'],
      postgresql: ['harbor-db', 'goharbor/harbor-db:v2.15.2'],
      core: ['harbor-core', 'goharbor/harbor-core:v2.15.2'],
      portal: ['harbor-portal', 'goharbor/harbor-portal:v2.15.2'],
      jobservice: ['harbor-jobservice', 'goharbor/harbor-jobservice:v2.15.2'],
      redis: ['redis', 'goharbor/valkey-photon:v2.15.2'],
      proxy: ['nginx', 'goharbor/nginx-photon:v2.15.2'],
    });
    expect(d.networks).toEqual({ harbor: { external: false } });
  });
  it('every service restarts always and logs to the log container by syslog, tagged with its name', () => {
    for (const [name, s] of Object.entries(d.services)) {
      expect(s.restart).toBe('always');
      if (name === 'log') expect(s.logging).toBeUndefined();
      else expect(s.logging).toEqual({ driver: 'syslog', options: { 'syslog-address': 'tcp://localhost:1514', tag: name } });
    }
    expect(d.services['log']!.ports).toEqual(['127.0.0.1:1514:10514']);
  });
  it('drops all capabilities and adds back only what each image needs', () => {
    const caps = Object.fromEntries(Object.entries(d.services).map(([k, s]) => [k, [s.cap_drop, s.cap_add]]));
    const base = ['CHOWN', 'SETGID', 'SETUID'];
    expect(caps).toEqual({
      log: [['ALL'], ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID']],
      registry: [['ALL'], base],
      registryctl: [['ALL'], base],
      postgresql: [['ALL'], ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID']],
      core: [['ALL'], ['SETGID', 'SETUID']],
      portal: [['ALL'], [...base, 'NET_BIND_SERVICE']],
      jobservice: [['ALL'], base],
      redis: [['ALL'], base],
      proxy: [['ALL'], [...base, 'NET_BIND_SERVICE']],
    });
  });
  it('orders start-up with depends_on', () => {
    const deps = Object.fromEntries(Object.entries(d.services).map(([k, s]) => [k, s.depends_on]));
    expect(deps).toEqual({
      log: undefined,
      registry: ['log'],
      registryctl: ['log'],
      postgresql: ['log'],
      core: ['log', 'registry', 'redis', 'postgresql'],
      portal: ['log'],
      jobservice: ['core'],
      redis: ['log'],
      proxy: ['registry', 'core', 'portal', 'log'],
    });
  });
  it('mounts data_volume, log location and the install tree where each component expects them', () => {
    expect(shorts(d, 'log')).toEqual(['/var/log/harbor/:/var/log/docker/:z']);
    expect(shorts(d, 'registry')).toEqual(['/data/registry:/storage:z', './common/config/registry/:/etc/registry/:z']);
    expect(binds(d, 'registry')).toEqual([{ type: 'bind', source: '/data/secret/registry/root.crt', target: '/etc/registry/root.crt' }, TRUST]);
    expect(shorts(d, 'core')).toEqual(['/data/ca_download/:/etc/core/ca/:z', '/data/:/data/:z', './common/config/core/certificates/:/etc/core/certificates/:z']);
    expect(binds(d, 'core').map((b) => `${b.source}>${b.target}`)).toEqual([
      './common/config/core/app.conf>/etc/core/app.conf',
      '/data/secret/core/private_key.pem>/etc/core/private_key.pem',
      '/data/secret/keys/secretkey>/etc/core/key',
      './common/config/shared/trust-certificates>/harbor_cust_cert',
    ]);
    expect(shorts(d, 'postgresql')).toEqual(['/data/database:/var/lib/postgresql/data:z']);
    expect(d.services['postgresql']!.shm_size).toBe('1gb');
    expect(shorts(d, 'redis')).toEqual(['/data/redis:/var/lib/redis']);
    expect(shorts(d, 'jobservice')).toEqual(['/data/job_logs:/var/log/jobs:z']);
    expect(shorts(d, 'proxy')).toEqual(['./common/config/nginx:/etc/nginx:z']);
    expect(binds(d, 'portal')).toEqual([{ type: 'bind', source: './common/config/portal/nginx.conf', target: '/etc/nginx/nginx.conf' }]);
    expect(d.services['proxy']!.ports).toEqual(['80:8080']);
  });
  it('reads env files for registryctl, db, core and jobservice', () => {
    const env = Object.fromEntries(Object.entries(d.services).map(([k, s]) => [k, s.env_file]));
    expect(env).toEqual({
      log: undefined,
      registry: undefined,
      registryctl: ['./common/config/registryctl/env'],
      postgresql: ['./common/config/db/env'],
      core: ['./common/config/core/env'],
      portal: undefined,
      jobservice: ['./common/config/jobservice/env'],
      redis: undefined,
      proxy: undefined,
    });
  });
  it('uses data_volume and log location verbatim (a trailing slash stays, as in Harbor)', () => {
    const t = doc({ dataVolume: '/srv/harbor/', logLocation: '/logs/h' });
    expect(shorts(t, 'registry')[0]).toBe('/srv/harbor//registry:/storage:z');
    expect(shorts(t, 'log')[0]).toBe('/logs/h/:/var/log/docker/:z');
  });
  it('--image-prefix replaces the goharbor namespace, keeping names and the tag', () => {
    const t = doc({}, true, 'localhost:5000/mirror');
    expect(t.services['core']!.image).toBe('localhost:5000/mirror/harbor-core:v2.15.2');
    expect(t.services['trivy-adapter']!.image).toBe('localhost:5000/mirror/trivy-adapter-photon:v2.15.2');
  });
});

describe('compose document: switches', () => {
  it('https publishes the TLS port and mounts secret/cert at /etc/cert', () => {
    const d = doc({ https: { port: 8443 }, httpPort: 8080 });
    expect(d.services['proxy']!.ports).toEqual(['8080:8080', '8443:8443']);
    expect(shorts(d, 'proxy')).toEqual(['./common/config/nginx:/etc/nginx:z', '/data/secret/cert:/etc/cert:z']);
  });
  it('metrics adds the exporter and publishes metric.port onto the proxy\'s 9090', () => {
    const d = doc({ https: {}, metric: { port: 9191 } });
    expect(d.services['proxy']!.ports).toEqual(['80:8080', '443:8443', '9191:9090']);
    expect(d.services['exporter']).toEqual({
      image: 'goharbor/harbor-exporter:v2.15.2',
      container_name: 'harbor-exporter',
      env_file: ['./common/config/exporter/env'],
      restart: 'always',
      networks: ['harbor'],
      depends_on: ['core', 'postgresql'],
      volumes: [TRUST],
      logging: { driver: 'syslog', options: { 'syslog-address': 'tcp://localhost:1514', tag: 'exporter' } },
    });
    expect(doc()).not.toHaveProperty('services.exporter');
  });
  it('external database drops postgresql and every dependency on it', () => {
    const d = doc({ externalDatabase: true, metric: {} });
    expect(d.services['postgresql']).toBeUndefined();
    expect(d.services['core']!.depends_on).toEqual(['log', 'registry', 'redis']);
    expect(d.services['exporter']!.depends_on).toEqual(['core']);
  });
  it('external redis drops redis and every dependency on it', () => {
    const d = doc({ externalRedis: true }, true);
    expect(d.services['redis']).toBeUndefined();
    expect(d.services['core']!.depends_on).toEqual(['log', 'registry', 'postgresql']);
    expect(d.services['trivy-adapter']!.depends_on).toEqual(['log']);
  });
  it('--with-trivy adds the adapter with its cache and report dirs and no capabilities', () => {
    const t = doc({}, true).services['trivy-adapter']!;
    expect(t).toMatchObject({ container_name: 'trivy-adapter', cap_drop: ['ALL'], depends_on: ['log', 'redis'], env_file: './common/config/trivy-adapter/env' });
    expect(t.cap_add).toBeUndefined();
    expect(t.volumes).toEqual([
      { type: 'bind', source: '/data/trivy-adapter/trivy', target: '/home/scanner/.cache/trivy' },
      { type: 'bind', source: '/data/trivy-adapter/reports', target: '/home/scanner/.cache/reports' },
      TRUST,
    ]);
    expect(doc()).not.toHaveProperty('services.trivy-adapter');
  });
  it('internal TLS mounts each component\'s pair from data_volume/secret/tls', () => {
    const d = doc({ internalTls: true, dataVolume: '/data/', metric: {} }, true);
    const tls = (svc: string) => binds(d, svc).filter((b) => b.source.includes('/secret/tls/')).map((b) => `${b.source}>${b.target}`);
    expect(tls('registry')).toEqual([
      '/data/secret/tls/core.crt>/harbor_cust_cert/core.crt',
      '/data/secret/tls/registry.crt>/etc/harbor/tls/registry.crt',
      '/data/secret/tls/registry.key>/etc/harbor/tls/registry.key',
    ]);
    expect(tls('registryctl')).toEqual(['/data/secret/tls/registryctl.crt>/etc/harbor/ssl/registryctl.crt', '/data/secret/tls/registryctl.key>/etc/harbor/ssl/registryctl.key']);
    expect(tls('core')).toEqual(['/data/secret/tls/core.crt>/etc/harbor/ssl/core.crt', '/data/secret/tls/core.key>/etc/harbor/ssl/core.key']);
    expect(tls('portal')).toEqual(['/data/secret/tls/portal.crt>/etc/harbor/tls/portal.crt', '/data/secret/tls/portal.key>/etc/harbor/tls/portal.key']);
    expect(tls('jobservice')).toEqual(['/data/secret/tls/job_service.crt>/etc/harbor/ssl/job_service.crt', '/data/secret/tls/job_service.key>/etc/harbor/ssl/job_service.key']);
    expect(tls('proxy')).toEqual(['/data/secret/tls/proxy.crt>/etc/harbor/tls/proxy.crt', '/data/secret/tls/proxy.key>/etc/harbor/tls/proxy.key']);
    expect(tls('trivy-adapter')).toEqual([
      '/data/secret/tls/trivy_adapter.crt>/etc/harbor/ssl/trivy_adapter.crt',
      '/data/secret/tls/trivy_adapter.key>/etc/harbor/ssl/trivy_adapter.key',
    ]);
    expect(tls('postgresql')).toEqual([]);
    expect(tls('exporter')).toEqual([]);
    expect(JSON.stringify(doc())).not.toContain('/secret/tls/');
  });
  it('a gcs keyfile is mounted into registry and registryctl; a uaa CA into core', () => {
    const d = doc({ gcsKeyfile: '/etc/gcs/key.json', uaaCaFile: '/etc/uaa/ca.pem' });
    const gcs = { type: 'bind', source: '/etc/gcs/key.json', target: '/etc/registry/gcs.key' };
    expect(binds(d, 'registry')).toContainEqual(gcs);
    expect(binds(d, 'registryctl')).toContainEqual(gcs);
    expect(binds(d, 'core')).toContainEqual({ type: 'bind', source: '/etc/uaa/ca.pem', target: '/etc/core/certificates/uaa_ca.pem' });
    expect(JSON.stringify(doc())).not.toMatch(/gcs\.key|uaa_ca/);
  });
});

describe('docker-compose (v1) accepts the rendered file', () => {
  const tmp = tempDirSync('regctl-r1-compose');

  const variants: [string, ModelR1Options, boolean][] = [
    ['http, bundled db and redis', {}, false],
    ['https + metrics + trivy + internal TLS + gcs + uaa', { https: { port: 8443 }, httpPort: 8080, metric: { port: 9191 }, internalTls: true, gcsKeyfile: 'gcs.key', uaaCaFile: 'uaa.pem' }, true],
    ['external database and redis, custom log location', { externalDatabase: true, externalRedis: true, metric: {} }, true],
  ];
  it.each(variants)('%s: config -q passes, and config resolves ports and binds as intended', (name, o, withTrivy) => {
    const install = path.join(tmp, name.replace(/\W+/g, '-'), 'harbor');
    const dataVolume = path.join(install, '..', 'data');
    const opts: ModelR1Options = {
      ...o,
      dataVolume,
      logLocation: path.join(install, '..', 'log'),
      gcsKeyfile: o.gcsKeyfile && path.join(install, '..', o.gcsKeyfile),
      uaaCaFile: o.uaaCaFile && path.join(install, '..', o.uaaCaFile),
    };
    const ctx = contextR1(opts, { withTrivy });
    const d = buildComposeDocument(ctx.config, ctx.release, withTrivy);
    createComposeSources(install, d);
    writeFileSync(path.join(install, 'docker-compose.yml'), renderCompose(ctx));

    const q = dockerCompose(install, ['config', '-q']);
    expect(q.stderr).toBe('');
    expect(q.status).toBe(0);

    // what compose itself makes of the file
    const resolved = parse(dockerCompose(install, ['config']).stdout);
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(d.services).sort());
    const proxyPorts = resolved.services.proxy.ports.map((p: { published: number; target: number }) => `${p.published}:${p.target}`);
    expect(proxyPorts).toEqual(d.services['proxy']!.ports);
    // compose v1 prints a host-ip mapping in short form: the log port stays on loopback
    expect(resolved.services.log.ports).toEqual(['127.0.0.1:1514:10514/tcp']);
    // relative sources resolve against the install dir; short syntax keeps the SELinux relabel flag
    const registryVolumes = resolved.services.registry.volumes as unknown[];
    expect(registryVolumes).toContain(`${path.join(dataVolume, 'registry')}:/storage:z`);
    expect(registryVolumes).toContain(`${path.join(install, 'common/config/registry')}:/etc/registry:z`);
    expect(registryVolumes).toContainEqual({ type: 'bind', source: path.join(install, 'common/config/shared/trust-certificates'), target: '/harbor_cust_cert' });
  });

  it('control: config -q fails when an env file is missing', () => {
    const install = path.join(tmp, 'missing-env', 'harbor');
    const ctx = contextR1({ dataVolume: path.join(tmp, 'missing-env', 'data') });
    createComposeSources(install, buildComposeDocument(ctx.config, ctx.release, false));
    writeFileSync(path.join(install, 'docker-compose.yml'), renderCompose(ctx));
    rmSync(path.join(install, 'common/config/core/env'));
    const q = dockerCompose(install, ['config', '-q']);
    expect(q.status).not.toBe(0);
    expect(q.stderr).toContain('core/env');
  });
});
