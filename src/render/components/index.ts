/**
 * The component registry. Adding a component means adding its module here (and its image to the
 * release descriptions): its files, its compose service, its container name, internal-TLS pair and
 * NO_PROXY names all come from the module.
 */
import type { ComponentRenderer } from '../types.js';
import { HARBOR_IMAGES } from '../../releases/images.js';
import { isDeployed, type ComposeServiceSpec, type ServiceContext } from '../compose/service.js';
import { portalRenderer } from './portal.js';
import { logRenderer } from './log.js';
import { nginxRenderer } from './nginx.js';
import { coreRenderer } from './core.js';
import { registryRenderer } from './registry.js';
import { registryctlRenderer } from './registryctl.js';
import { dbRenderer } from './db.js';
import { jobserviceRenderer } from './jobservice.js';
import { redisRenderer } from './redis.js';
import { trustRenderer } from './trust.js';
import { secretsRenderer } from './secrets.js';
import { exporterRenderer } from './exporter.js';
import { trivyRenderer } from './trivy.js';
import { notaryRenderer } from './notary.js';
import { installationRecordRenderer } from './installation-record.js';

/**
 * Services first, in the order Harbor's docker-compose.yml lists them (the compose file follows
 * this order); then the components without a service. Each renderer decides itself whether it
 * applies (trivy, exporter, the bundled database and redis). docker-compose.yml and the internal TLS
 * copies are rendered from this list (compose.ts, internal-tls.ts), after it (src/render/render.ts).
 */
export const componentRenderers: readonly ComponentRenderer[] = [
  logRenderer,
  registryRenderer,
  registryctlRenderer,
  dbRenderer,
  coreRenderer,
  portalRenderer,
  jobserviceRenderer,
  redisRenderer,
  nginxRenderer,
  notaryRenderer,
  trivyRenderer,
  exporterRenderer,
  trustRenderer,
  secretsRenderer,
  installationRecordRenderer,
];

/** Every component's compose service, deployed or not, in compose order. */
export const composeServiceSpecs: readonly ComposeServiceSpec[] = componentRenderers.flatMap((c) => c.services ?? (c.service ? [c.service] : []));

/** a service every supported line has (its image is one of the shared names) */
const inEveryLine = (s: ComposeServiceSpec): boolean => s.image in HARBOR_IMAGES;

/** The services of this deployment. */
export function deployedServices(ctx: ServiceContext): ComposeServiceSpec[] {
  return composeServiceSpecs.filter((s) => isDeployed(s, ctx));
}

/** The container names Harbor gives its services (doctor checks them before the file exists). */
export const HARBOR_CONTAINER_NAMES: readonly string[] = composeServiceSpecs.map((s) => s.containerName);

/**
 * Harbor's NO_PROXY always holds its internal names, deployed or not (prepare's g.py
 * INTERNAL_NO_PROXY_DN): loopback, the .local/.internal suffixes and each service's names.
 */
export const INTERNAL_NO_PROXY: readonly string[] = ['127.0.0.1', 'localhost', '.local', '.internal', ...composeServiceSpecs.filter(inEveryLine).flatMap((s) => s.noProxy)];

/** The same names of the services only some lines have, for every line (legacy no_proxy lists). */
export const LINE_SPECIFIC_NO_PROXY: readonly string[] = composeServiceSpecs.filter((s) => !inEveryLine(s)).flatMap((s) => s.noProxy);
