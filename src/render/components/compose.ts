/**
 * docker-compose.yml for one Harbor installation, built as an object and serialised with toYaml so
 * that no value can break the YAML (paths with ':' or '#', odd hostnames).
 *
 * What it must mean, per service (Harbor v2.15.2): the same services, container names, images,
 * capabilities, depends_on, ports, bind mounts, env files, syslog logging and restart policy as the
 * official prepare writes, with the same conditional services (postgresql, redis, trivy-adapter,
 * exporter) and conditional mounts (https cert dir, internal TLS pairs, gcs keyfile, uaa CA).
 * There is no top-level `version:` key (Harbor dropped it in 2.12; ReleaseOutput.compose has it for older lines).
 *
 * Paths: data_volume and log.local.location are used exactly as the user wrote them (a trailing
 * slash stays), because that is what the official prepare puts into the binds; install-dir files
 * are referenced relative to the compose file ('./common/config/...'), so the install dir can move.
 */
import type { HarborConfig } from '../../config/model.js';
import type { HarborRelease } from '../../releases/types.js';
import { toYaml } from '../formats.js';
import type { ComponentRenderer, RenderContext, RenderedEntry } from '../types.js';
import { ROOT } from '../types.js';
import { NETWORK, harborService, type ComposeService, type NetworkAttachment, type ServiceContext } from '../compose/service.js';
import { componentRenderers, deployedServices } from './index.js';

export type { BindMount, ComposeService, ComposeVolume } from '../compose/service.js';

export const COMPOSE_FILE = 'docker-compose.yml';

export interface ComposeDocument {
  /** the file format version line older releases write first (ReleaseOutput.compose) */
  version?: string;
  services: Record<string, ComposeService>;
  networks: Record<string, { external: boolean }>;
}

/** The compose document as an object: each deployed component's service, in Harbor's order. */
export function composeDocument(ctx: ServiceContext): ComposeDocument {
  const services = Object.fromEntries(deployedServices(ctx).map((spec) => [spec.name, harborService(spec, ctx)]));
  const networks: ComposeDocument['networks'] = { [NETWORK]: { external: false } };
  for (const add of componentRenderers.flatMap((c) => (c.composeAdditions ? [c.composeAdditions(ctx)] : []))) {
    for (const [name, extra] of Object.entries(add.services ?? {})) {
      const service = services[name];
      if (!service) continue;
      if (extra.networks) service.networks = joinNetworks(service.networks, extra.networks);
      if (extra.ports) service.ports = [...(service.ports ?? []), ...extra.ports];
    }
    for (const n of add.networks ?? []) networks[n] = { external: false };
  }
  const version = ctx.release.output.compose.fileFormatVersion;
  return { ...(version !== undefined ? { version } : {}), services, networks };
}

/** More networks for a service, kept in the form (list or mapping) Harbor writes for it. */
function joinNetworks(current: ComposeService['networks'], more: Record<string, NetworkAttachment>): ComposeService['networks'] {
  if (Array.isArray(current) && Object.values(more).every((a) => a === null)) return [...current, ...Object.keys(more)];
  const mapping: Record<string, NetworkAttachment> = Array.isArray(current) ? Object.fromEntries(current.map((n) => [n, null])) : { ...current };
  return { ...mapping, ...more };
}

/** The same from its inputs (the compose file uses no secret). */
export function buildComposeDocument(config: HarborConfig, release: HarborRelease, withTrivy: boolean, imagePrefix?: string, withNotary = false): ComposeDocument {
  return composeDocument({ config, release, options: { withTrivy, imagePrefix, withNotary } });
}

export function renderCompose(ctx: RenderContext): string {
  return toYaml(composeDocument(ctx));
}

export const composeRenderer: ComponentRenderer = {
  name: 'compose',
  render(ctx: RenderContext): RenderedEntry[] {
    return [{ kind: 'file', root: 'install', path: COMPOSE_FILE, content: renderCompose(ctx), mode: 0o644, owner: ROOT }];
  },
};
