/**
 * docker-compose.yml for one Harbor installation, built as an object and serialised with toYaml so
 * that no value can break the YAML (paths with ':' or '#', odd hostnames).
 *
 * What it must mean, per service (Harbor v2.15.2): the same services, container names, images,
 * capabilities, depends_on, ports, bind mounts, env files, syslog logging and restart policy as the
 * official prepare writes, with the same conditional services (postgresql, redis, trivy-adapter,
 * exporter) and conditional mounts (https cert dir, internal TLS pairs, gcs keyfile, uaa CA).
 * There is no top-level `version:` key (Harbor dropped it in 2.12).
 *
 * Paths: data_volume and log.local.location are used exactly as the user wrote them (a trailing
 * slash stays), because that is what the official prepare puts into the binds; install-dir files
 * are referenced relative to the compose file ('./common/config/...'), so the install dir can move.
 */
import type { HarborConfig } from '../../config/model.js';
import type { HarborRelease } from '../../releases/types.js';
import { imageRef } from '../../releases/types.js';
import { toYaml } from '../formats.js';
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { ROOT } from '../types.js';

export const COMPOSE_FILE = 'docker-compose.yml';

/** The single user-defined network every service joins (project-scoped: `<dir>_harbor`). */
const NETWORK = 'harbor';
/** The log container's rsyslog, published on the host's loopback only. */
const SYSLOG_ADDRESS = 'tcp://localhost:1514';
/** Host side of /harbor_cust_cert: the CAs every component adds to its trust store at start. */
const TRUST_DIR = './common/config/shared/trust-certificates';
const CONFIG = './common/config';

export interface BindMount {
  type: 'bind';
  source: string;
  target: string;
}
/** Short syntax `src:dst[:z]` (Docker creates a missing source) or long syntax (source must exist). */
export type ComposeVolume = string | BindMount;

export interface ComposeService {
  image: string;
  container_name: string;
  /** a list everywhere except trivy-adapter, which Harbor writes as a plain string */
  env_file?: string[] | string;
  restart: 'always';
  cap_drop?: string[];
  cap_add?: string[];
  volumes?: ComposeVolume[];
  ports?: string[];
  /** list form, or mapping form `{harbor: null}` (both mean the same; Harbor uses both) */
  networks: string[] | Record<string, null>;
  depends_on?: string[];
  logging?: { driver: 'syslog'; options: { 'syslog-address': string; tag: string } };
  shm_size?: string;
}

export interface ComposeDocument {
  services: Record<string, ComposeService>;
  networks: Record<string, { external: boolean }>;
}

function bind(source: string, target: string): BindMount {
  return { type: 'bind', source, target };
}

function syslog(tag: string): ComposeService['logging'] {
  return { driver: 'syslog', options: { 'syslog-address': SYSLOG_ADDRESS, tag } };
}

/** Joins like Python's os.path.join (which Harbor uses for the internal TLS sources): no doubled '/'. */
function joinHostPath(base: string, ...parts: string[]): string {
  return parts.reduce((acc, p) => (acc.endsWith('/') ? acc + p : `${acc}/${p}`), base);
}

/**
 * Internal TLS: every component mounts its own pair from data_volume/secret/tls (where the
 * internal TLS dir is copied to), at the path its config expects.
 */
function internalTlsMounts(config: HarborConfig, name: string, targetDir: string): BindMount[] {
  if (!config.internalTls.enabled) return [];
  const src = (file: string) => joinHostPath(config.dataVolume, 'secret', 'tls', file);
  return [bind(src(`${name}.crt`), `${targetDir}/${name}.crt`), bind(src(`${name}.key`), `${targetDir}/${name}.key`)];
}

function gcsKeyfile(config: HarborConfig): string | undefined {
  if (config.storage.provider !== 'gcs') return undefined;
  const keyfile = config.storage.providerConfig['keyfile'];
  return typeof keyfile === 'string' && keyfile !== '' ? keyfile : undefined;
}

/** The compose document as an object (exported for tests and for `regctl install`). */
export function buildComposeDocument(config: HarborConfig, release: HarborRelease, withTrivy: boolean, imagePrefix?: string): ComposeDocument {
  const dv = config.dataVolume;
  const image = (service: keyof HarborRelease['images']) => imageRef(release, service, imagePrefix);
  const internalDb = !config.database.external;
  const internalRedis = !config.redis.external;
  const keyfile = gcsKeyfile(config);
  const gcsMount = keyfile ? [bind(keyfile, '/etc/registry/gcs.key')] : [];
  const trust = bind(TRUST_DIR, '/harbor_cust_cert');
  const https = config.protocol === 'https' && config.https;

  const services: Record<string, ComposeService> = {};

  services['log'] = {
    image: image('log'),
    container_name: 'harbor-log',
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'],
    volumes: [
      `${config.log.local.location}/:/var/log/docker/:z`,
      bind(`${CONFIG}/log/logrotate.conf`, '/etc/logrotate.d/logrotate.conf'),
      bind(`${CONFIG}/log/rsyslog_docker.conf`, '/etc/rsyslog.d/rsyslog_docker.conf'),
    ],
    ports: ['127.0.0.1:1514:10514'],
    networks: [NETWORK],
  };

  services['registry'] = {
    image: image('registry'),
    container_name: 'registry',
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [
      `${dv}/registry:/storage:z`,
      `${CONFIG}/registry/:/etc/registry/:z`,
      bind(`${dv}/secret/registry/root.crt`, '/etc/registry/root.crt'),
      trust,
      ...gcsMount,
      // registry calls core back (token/notifications), so it must trust core's certificate
      ...(config.internalTls.enabled ? [bind(joinHostPath(dv, 'secret', 'tls', 'core.crt'), '/harbor_cust_cert/core.crt')] : []),
      ...internalTlsMounts(config, 'registry', '/etc/harbor/tls'),
    ],
    networks: [NETWORK],
    depends_on: ['log'],
    logging: syslog('registry'),
  };

  services['registryctl'] = {
    image: image('registryctl'),
    container_name: 'registryctl',
    env_file: [`${CONFIG}/registryctl/env`],
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [
      `${dv}/registry:/storage:z`,
      `${CONFIG}/registry/:/etc/registry/:z`,
      bind(`${CONFIG}/registryctl/config.yml`, '/etc/registryctl/config.yml'),
      trust,
      ...gcsMount,
      ...internalTlsMounts(config, 'registryctl', '/etc/harbor/ssl'),
    ],
    networks: [NETWORK],
    depends_on: ['log'],
    logging: syslog('registryctl'),
  };

  if (internalDb) {
    services['postgresql'] = {
      image: image('postgresql'),
      container_name: 'harbor-db',
      restart: 'always',
      cap_drop: ['ALL'],
      cap_add: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'],
      volumes: [`${dv}/database:/var/lib/postgresql/data:z`],
      networks: { [NETWORK]: null },
      env_file: [`${CONFIG}/db/env`],
      depends_on: ['log'],
      logging: syslog('postgresql'),
      // postgres needs more shared memory than Docker's 64m default for parallel queries
      shm_size: '1gb',
    };
  }

  services['core'] = {
    image: image('core'),
    container_name: 'harbor-core',
    env_file: [`${CONFIG}/core/env`],
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['SETGID', 'SETUID'],
    volumes: [
      `${dv}/ca_download/:/etc/core/ca/:z`,
      `${dv}/:/data/:z`,
      `${CONFIG}/core/certificates/:/etc/core/certificates/:z`,
      bind(`${CONFIG}/core/app.conf`, '/etc/core/app.conf'),
      bind(`${dv}/secret/core/private_key.pem`, '/etc/core/private_key.pem'),
      bind(`${dv}/secret/keys/secretkey`, '/etc/core/key'),
      trust,
      ...(config.uaaCaFile ? [bind(config.uaaCaFile, '/etc/core/certificates/uaa_ca.pem')] : []),
      ...internalTlsMounts(config, 'core', '/etc/harbor/ssl'),
    ],
    networks: { [NETWORK]: null },
    depends_on: ['log', 'registry', ...(internalRedis ? ['redis'] : []), ...(internalDb ? ['postgresql'] : [])],
    logging: syslog('core'),
  };

  services['portal'] = {
    image: image('portal'),
    container_name: 'harbor-portal',
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
    volumes: [bind(`${CONFIG}/portal/nginx.conf`, '/etc/nginx/nginx.conf'), ...internalTlsMounts(config, 'portal', '/etc/harbor/tls')],
    networks: [NETWORK],
    depends_on: ['log'],
    logging: syslog('portal'),
  };

  services['jobservice'] = {
    image: image('jobservice'),
    container_name: 'harbor-jobservice',
    env_file: [`${CONFIG}/jobservice/env`],
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'SETGID', 'SETUID'],
    volumes: [
      `${dv}/job_logs:/var/log/jobs:z`,
      bind(`${CONFIG}/jobservice/config.yml`, '/etc/jobservice/config.yml'),
      trust,
      ...internalTlsMounts(config, 'job_service', '/etc/harbor/ssl'),
    ],
    networks: [NETWORK],
    depends_on: ['core'],
    logging: syslog('jobservice'),
  };

  if (internalRedis) {
    services['redis'] = {
      image: image('redis'),
      container_name: 'redis',
      restart: 'always',
      cap_drop: ['ALL'],
      cap_add: ['CHOWN', 'SETGID', 'SETUID'],
      volumes: [`${dv}/redis:/var/lib/redis`],
      networks: { [NETWORK]: null },
      depends_on: ['log'],
      logging: syslog('redis'),
    };
  }

  const proxyPorts = [`${config.http.port}:8080`];
  if (https) proxyPorts.push(`${https.port}:8443`);
  if (config.metric.enabled) proxyPorts.push(`${config.metric.port}:9090`);
  services['proxy'] = {
    image: image('proxy'),
    container_name: 'nginx',
    restart: 'always',
    cap_drop: ['ALL'],
    cap_add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
    volumes: [
      `${CONFIG}/nginx:/etc/nginx:z`,
      ...(https ? [`${dv}/secret/cert:/etc/cert:z`] : []),
      trust,
      ...internalTlsMounts(config, 'proxy', '/etc/harbor/tls'),
    ],
    networks: [NETWORK],
    ports: proxyPorts,
    depends_on: ['registry', 'core', 'portal', 'log'],
    logging: syslog('proxy'),
  };

  if (withTrivy) {
    services['trivy-adapter'] = {
      container_name: 'trivy-adapter',
      image: image('trivyAdapter'),
      restart: 'always',
      // the scanner needs no capability at all
      cap_drop: ['ALL'],
      depends_on: ['log', ...(internalRedis ? ['redis'] : [])],
      networks: [NETWORK],
      volumes: [
        bind(`${dv}/trivy-adapter/trivy`, '/home/scanner/.cache/trivy'),
        bind(`${dv}/trivy-adapter/reports`, '/home/scanner/.cache/reports'),
        trust,
        ...internalTlsMounts(config, 'trivy_adapter', '/etc/harbor/ssl'),
      ],
      logging: syslog('trivy-adapter'),
      env_file: `${CONFIG}/trivy-adapter/env`,
    };
  }

  if (config.metric.enabled) {
    services['exporter'] = {
      image: image('exporter'),
      container_name: 'harbor-exporter',
      env_file: [`${CONFIG}/exporter/env`],
      restart: 'always',
      networks: [NETWORK],
      depends_on: ['core', ...(internalDb ? ['postgresql'] : [])],
      volumes: [trust],
      logging: syslog('exporter'),
    };
  }

  return { services, networks: { [NETWORK]: { external: false } } };
}

export function renderCompose(ctx: RenderContext): string {
  return toYaml(buildComposeDocument(ctx.config, ctx.release, ctx.options.withTrivy, ctx.options.imagePrefix));
}

export const composeRenderer: ComponentRenderer = {
  name: 'compose',
  render(ctx: RenderContext): RenderedEntry[] {
    return [{ kind: 'file', root: 'install', path: COMPOSE_FILE, content: renderCompose(ctx), mode: 0o644, owner: ROOT }];
  },
};
