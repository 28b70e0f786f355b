import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseRegistryConfig } from '../../src/registry-profile/load.js';
import { renderRegistryProfile, registryConfigYml } from '../../src/registry-profile/render.js';
import { RegctlError } from '../../src/errors.js';
import type { RenderedEntry } from '../../src/render/types.js';

const contentOf = (e: RenderedEntry | undefined): string => (e?.kind === 'file' ? String(e.content) : '');
import { repoRoot } from '../helpers/workspace.js';

const FILE = '/srv/reg/registry.yml';
const GOOD = ['hostname: 192.0.2.2', 'port: 8443', 'tls:', '  certificate: certs/r.crt', '  private_key: certs/r.key', 'auth:', '  htpasswd: auth/htpasswd', 'storage:', '  directory: /data/reg', 'image: mirror.example/registry:2', ''].join('\n');

function problemsOf(text: string, insecure = false) {
  try {
    parseRegistryConfig(FILE, text, { insecure });
  } catch (err) {
    expect(err).toBeInstanceOf(RegctlError);
    return (err as RegctlError).problems.filter((p) => p.severity === 'error');
  }
  throw new Error('expected the config to be refused');
}

describe('registry.yml loader', () => {
  it('builds the model with paths relative to the file and defaults', () => {
    const c = parseRegistryConfig(FILE, GOOD, { insecure: false });
    expect(c).toEqual({
      file: FILE,
      hostname: '192.0.2.2',
      port: 8443,
      tls: { certificate: '/srv/reg/certs/r.crt', privateKey: '/srv/reg/certs/r.key' },
      htpasswd: '/srv/reg/auth/htpasswd',
      storageDir: '/data/reg',
      deleteEnabled: true,
      image: 'mirror.example/registry:2',
    });
    const insecure = parseRegistryConfig(FILE, 'hostname: reg.local\nauth: {htpasswd: /a/h}\nstorage: {directory: /d, delete: false}\n', { insecure: true });
    expect(insecure).toMatchObject({ port: 5000, tls: undefined, image: 'registry:2', deleteEnabled: false });
  });

  it('refuses unknown keys naming file, line, key and the fix', () => {
    const [p, q] = problemsOf(GOOD.replace('image:', 'imgae:').replace('  directory:', '  dirctory:'));
    expect(p).toMatchObject({ file: FILE, line: 9, key: 'storage.dirctory' });
    expect(p!.fix).toContain('directory, delete');
    expect(q).toMatchObject({ file: FILE, line: 10, key: 'imgae' });
    expect(q!.fix).toMatch(/hostname, port, image, tls, auth, storage/);
  });

  it('reports every bad value at its line', () => {
    const ps = problemsOf('hostname: https://x\nport: 70000\nauth: {htpasswd: /h}\nstorage: {directory: /d, delete: yes please}\n', false);
    expect(ps.map((p) => [p.key, p.line])).toEqual([
      ['hostname', 1],
      ['port', 2],
      ['tls.certificate', undefined],
      ['tls.private_key', undefined],
      ['storage.delete', 4],
    ]);
    expect(problemsOf(GOOD, true)).toEqual([expect.objectContaining({ key: 'tls', line: 3 })]);
  });

  it('loads the documented example', () => {
    const file = path.join(repoRoot, 'examples', 'registry.yml');
    expect(parseRegistryConfig(file, readFileSync(file, 'utf8'), { insecure: false })).toMatchObject({ hostname: 'registry.example.com', port: 443, image: 'registry:2' });
  });
});

describe('registry profile renderer', () => {
  const c = parseRegistryConfig(FILE, GOOD, { insecure: false });

  it('is pure and deterministic: the same model gives the same bytes', () => {
    expect(renderRegistryProfile(c, {})).toEqual(renderRegistryProfile(structuredClone(c), {}));
    expect(renderRegistryProfile(c, {}).map((e) => e.path)).toEqual(['docker-compose.yml', 'common/config/registry/config.yml', 'common/config/regctl/installation.json']);
  });

  it('renders distribution config with htpasswd, storage, delete, TLS and the debug health port', () => {
    const cfg = parse(registryConfigYml(c));
    expect(cfg.auth.htpasswd.path).toBe('/auth/htpasswd');
    expect(cfg.storage.filesystem.rootdirectory).toBe('/var/lib/registry');
    expect(cfg.storage.delete.enabled).toBe(true);
    expect(cfg.http.tls).toEqual({ certificate: '/certs/server.crt', key: '/certs/server.key' });
    expect(cfg.http.debug.addr).toBe('127.0.0.1:5001');
    const insecure = parse(registryConfigYml({ ...c, tls: undefined }));
    expect(insecure.http.tls).toBeUndefined();
  });

  it('renders one registry service with the host paths under --root', () => {
    const compose = parse(contentOf(renderRegistryProfile(c, { root: '/mnt/img' })[0]));
    expect(Object.keys(compose.services)).toEqual(['registry']);
    const s = compose.services.registry;
    expect(s.image).toBe('mirror.example/registry:2');
    expect(s.ports).toEqual(['8443:5000']);
    expect(s.volumes).toEqual([
      './common/config/registry/config.yml:/etc/docker/registry/config.yml:ro',
      '/mnt/img/srv/reg/auth:/auth:ro',
      '/mnt/img/data/reg:/var/lib/registry',
      '/mnt/img/srv/reg/certs/r.crt:/certs/server.crt:ro',
      '/mnt/img/srv/reg/certs/r.key:/certs/server.key:ro',
    ]);
    expect(s.healthcheck.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:5001/debug/health']);
    const record = JSON.parse(contentOf(renderRegistryProfile(c, {})[2]));
    expect(record).toMatchObject({ profile: 'registry', config: FILE, hostname: '192.0.2.2', port: 8443, tls: true });
  });
});
