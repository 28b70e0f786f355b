/**
 * One compose service of a Harbor component, and the defaults every Harbor service shares.
 *
 * Each component module (src/render/components/) owns its service as a ComposeServiceSpec next
 * to its files: its name, fixed container name, image, internal-TLS pair and NO_PROXY names are
 * data on the spec, so container names (doctor), TLS pairs (internal-tls) and the NO_PROXY list
 * (core, jobservice, trivy) are derived from the registry instead of kept in lists of their own.
 * What the official prepare writes per service: Harbor v2.15.2 make/photon/prepare/templates/
 * docker_compose/docker-compose.yml.jinja.
 */
import type { HarborConfig } from '../../config/model.js';
import type { HarborRelease } from '../../releases/types.js';
import { imageRef } from '../../releases/types.js';
import type { RenderContext } from '../types.js';

/** What a service depends on: the model, the release and the run's options (never the secrets). */
export type ServiceContext = Pick<RenderContext, 'config' | 'release' | 'options'>;

/** The single user-defined network every service joins (project-scoped: `<dir>_harbor`). */
export const NETWORK = 'harbor';
/** The log container's rsyslog, published on the host's loopback only. */
export const SYSLOG_ADDRESS = 'tcp://localhost:1514';
/** Install-dir files are named relative to the compose file, so the install dir can move. */
export const CONFIG = './common/config';
/** internal_tls.dir is copied here under data_volume; every service mounts its pair from it. */
export const INTERNAL_TLS_DATA_DIR = 'secret/tls';
/** gencert's name for the internal CA certificate */
export const INTERNAL_CA_FILE = 'harbor_internal_ca.crt';
/** Host side of /harbor_cust_cert: the CAs every component adds to its trust store at start. */
const TRUST_DIR = `${CONFIG}/shared/trust-certificates`;

export interface BindMount {
  type: 'bind';
  source: string;
  target: string;
}
/** Short syntax `src:dst[:z]` (Docker creates a missing source) or long syntax (source must exist). */
export type ComposeVolume = string | BindMount;

/** a network a service joins in mapping form: null, or with the extra names it is known by there */
export type NetworkAttachment = null | { aliases: string[] };

/**
 * What a component adds to other components' services and to the file's networks when it is
 * deployed (the notary adds its networks to postgresql, core and proxy, and 4443 to proxy).
 */
export interface ComposeAdditions {
  services?: Record<string, { networks?: Record<string, NetworkAttachment>; ports?: string[] }>;
  /** top-level networks (each `external: false`) */
  networks?: string[];
}

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
  networks: string[] | Record<string, NetworkAttachment>;
  depends_on?: string[];
  logging?: { driver: 'syslog'; options: { 'syslog-address': string; tag: string } };
  shm_size?: string;
}

/** What a component writes for its service; harborService() adds the shared defaults. */
export interface ServiceBody {
  env_file?: string[] | string;
  /** capabilities added back after cap_drop ALL; null: Harbor drops none (exporter) */
  cap_add?: string[] | null;
  volumes?: ComposeVolume[];
  ports?: string[];
  depends_on?: string[];
  /** Harbor writes `networks: {harbor: null}` for some services */
  networkMapping?: boolean;
  /** networks other than the one harbor network (notary), in the form Harbor writes */
  networks?: string[] | Record<string, NetworkAttachment>;
  shm_size?: string;
  /** the log service itself does not log through syslog */
  noSyslog?: boolean;
}

export interface ComposeServiceSpec {
  /** compose service name, also its syslog tag */
  name: string;
  /** the fixed container_name Harbor gives it */
  containerName: string;
  image: keyof HarborRelease['images'];
  /** base name of its certificate/key pair in internal_tls.dir (gencert's names) */
  tlsPair?: string;
  /** names Harbor always puts into NO_PROXY for it (prepare's g.py INTERNAL_NO_PROXY_DN) */
  noProxy: readonly string[];
  /** part of this deployment? (default: always) */
  deployed?(ctx: ServiceContext): boolean;
  body(ctx: ServiceContext): ServiceBody;
}

export function bind(source: string, target: string): BindMount {
  return { type: 'bind', source, target };
}

/** The trust-certificates directory every component reads at start. */
export const trustMount = (): BindMount => bind(TRUST_DIR, '/harbor_cust_cert');

/** Joins like Python's os.path.join (which Harbor uses for the internal TLS sources): no doubled '/'. */
export function joinHostPath(base: string, ...parts: string[]): string {
  return parts.reduce((acc, p) => (acc.endsWith('/') ? acc + p : `${acc}/${p}`), base);
}

/** Internal TLS: the component's own pair from data_volume/secret/tls, where its config expects it. */
export function internalTlsMounts(config: HarborConfig, pair: string, targetDir: string): BindMount[] {
  if (!config.internalTls.enabled) return [];
  const src = (file: string) => joinHostPath(config.dataVolume, ...INTERNAL_TLS_DATA_DIR.split('/'), file);
  return [bind(src(`${pair}.crt`), `${targetDir}/${pair}.crt`), bind(src(`${pair}.key`), `${targetDir}/${pair}.key`)];
}

/** The gcs keyfile mount registry and registryctl need when storage is gcs with a keyfile. */
export function gcsKeyfileMounts(config: HarborConfig): BindMount[] {
  if (config.storage.provider !== 'gcs') return [];
  const keyfile = config.storage.providerConfig['keyfile'];
  return typeof keyfile === 'string' && keyfile !== '' ? [bind(keyfile, '/etc/registry/gcs.key')] : [];
}

export function isDeployed(spec: ComposeServiceSpec, ctx: ServiceContext): boolean {
  return spec.deployed ? spec.deployed(ctx) : true;
}

/** The service with the defaults every Harbor service shares: restart, cap_drop, network, syslog. */
export function harborService(spec: ComposeServiceSpec, ctx: ServiceContext): ComposeService {
  const b = spec.body(ctx);
  const service: ComposeService = {
    image: imageRef(ctx.release, spec.image, ctx.options.imagePrefix),
    container_name: spec.containerName,
    ...(b.env_file !== undefined ? { env_file: b.env_file } : {}),
    restart: 'always',
    ...(b.cap_add === null ? {} : { cap_drop: ['ALL'] }),
    ...(b.cap_add ? { cap_add: b.cap_add } : {}),
    ...(b.volumes ? { volumes: b.volumes } : {}),
    ...(b.ports ? { ports: b.ports } : {}),
    networks: b.networks ?? (b.networkMapping ? { [NETWORK]: null } : [NETWORK]),
    ...(b.depends_on ? { depends_on: b.depends_on } : {}),
    ...(b.noSyslog ? {} : { logging: { driver: 'syslog' as const, options: { 'syslog-address': SYSLOG_ADDRESS, tag: spec.name } } }),
    ...(b.shm_size ? { shm_size: b.shm_size } : {}),
  };
  return service;
}
