/**
 * The registry profile's files, pure: model → rendered entries for the one writer (src/apply/).
 *
 *   docker-compose.yml                       one `registry` service
 *   common/config/registry/config.yml        distribution's configuration
 *   common/config/regctl/installation.json   the record (profile: registry)
 *
 * Keys of config.yml as documented for distribution 2.x
 * (https://distribution.github.io/distribution/about/configuration/): auth.htpasswd (bcrypt only),
 * storage.filesystem.rootdirectory, storage.delete.enabled, http.tls, http.debug (its
 * /debug/health answers on plain HTTP inside the container: the healthcheck needs no credentials
 * and no CA).
 */
import path from 'node:path';
import type { RenderedEntry } from '../render/types.js';
import { ROOT } from '../render/types.js';
import { toYaml } from '../render/formats.js';
import { INSTALLATION_RECORD } from '../installation/record.js';
import { underRoot } from '../util/root.js';
import { formatRegistryRecord } from './record.js';
import type { RegistryProfileConfig } from './model.js';

/** where things are inside the container; /etc/docker/registry/config.yml is what registry:2 runs */
export const IN_CONTAINER = {
  config: '/etc/docker/registry/config.yml',
  certificate: '/certs/server.crt',
  privateKey: '/certs/server.key',
  /** the htpasswd file's directory is mounted, not the file: `regctl registry user add` replaces
   *  the file by rename, which a single-file bind mount would never show the container */
  authDir: '/auth',
  storage: '/var/lib/registry',
} as const;
export const REGISTRY_CONFIG_FILE = 'common/config/registry/config.yml';
export const CONTAINER_PORT = 5000;
export const DEBUG_PORT = 5001;
export const SERVICE = 'registry';

export function registryConfigYml(c: RegistryProfileConfig): string {
  return toYaml({
    version: 0.1,
    log: { level: 'info', fields: { service: 'registry' } },
    storage: {
      filesystem: { rootdirectory: IN_CONTAINER.storage },
      delete: { enabled: c.deleteEnabled },
      cache: { blobdescriptor: 'inmemory' },
      maintenance: { uploadpurging: { enabled: true, age: '168h', interval: '24h', dryrun: false } },
    },
    auth: { htpasswd: { realm: `regctl registry ${c.hostname}`, path: `${IN_CONTAINER.authDir}/${path.basename(c.htpasswd)}` } },
    http: {
      addr: `:${CONTAINER_PORT}`,
      ...(c.tls ? { tls: { certificate: IN_CONTAINER.certificate, key: IN_CONTAINER.privateKey } } : {}),
      debug: { addr: `127.0.0.1:${DEBUG_PORT}` },
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
    health: { storagedriver: { enabled: true, interval: '10s', threshold: 3 } },
  });
}

export function registryComposeYml(c: RegistryProfileConfig, root: string | undefined): string {
  const host = (p: string) => underRoot(root, p);
  const volumes = [
    `./${REGISTRY_CONFIG_FILE}:${IN_CONTAINER.config}:ro`,
    `${host(path.dirname(c.htpasswd))}:${IN_CONTAINER.authDir}:ro`,
    `${host(c.storageDir)}:${IN_CONTAINER.storage}`,
    ...(c.tls ? [`${host(c.tls.certificate)}:${IN_CONTAINER.certificate}:ro`, `${host(c.tls.privateKey)}:${IN_CONTAINER.privateKey}:ro`] : []),
  ];
  return toYaml({
    version: '2.3',
    services: {
      [SERVICE]: {
        image: c.image,
        restart: 'always',
        ports: [`${c.port}:${CONTAINER_PORT}`],
        volumes,
        healthcheck: {
          // busybox wget is in distribution's (Alpine) image
          test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${DEBUG_PORT}/debug/health`],
          interval: '5s',
          timeout: '5s',
          retries: 10,
          start_period: '5s',
        },
      },
    },
  });
}

export function renderRegistryProfile(c: RegistryProfileConfig, opts: { root?: string }): RenderedEntry[] {
  const file = (rel: string, content: string): RenderedEntry => ({ kind: 'file', root: 'install', path: rel, content, mode: 0o644, owner: ROOT });
  return [
    file('docker-compose.yml', registryComposeYml(c, opts.root)),
    file(REGISTRY_CONFIG_FILE, registryConfigYml(c)),
    file(
      INSTALLATION_RECORD,
      formatRegistryRecord({ profile: 'registry', config: c.file, hostname: c.hostname, port: c.port, tls: Boolean(c.tls), image: c.image, certificate: c.tls?.certificate }),
    ),
  ];
}
