/**
 * A client for one registry with Docker's trust order (--ca, else ROOT/etc/docker/certs.d/NAME,
 * else the system store under ROOT). Shared by `regctl registry ...`, `regctl verify` and
 * `regctl install --verify`, which differ only in where the credentials come from.
 */
import path from 'node:path';
import { underRoot } from '../util/root.js';
import { RegistryClient } from './client.js';
import type { Credentials } from './docker-config.js';
import type { CredentialHint } from './registry-errors.js';
import type { RegistryTarget } from './target.js';
import { nodeTransport } from './transport.js';
import { resolveTrustAnchors, SYSTEM_BUNDLES, type TrustAnchors } from './trust-anchors.js';

export const CERTS_D = '/etc/docker/certs.d';

export interface OpenOptions {
  target: RegistryTarget;
  root?: string;
  /** --ca FILE, absolute */
  caFile?: string;
  credentials?: Credentials;
  hint?: CredentialHint;
}

export async function openRegistry(o: OpenOptions): Promise<{ client: RegistryClient; anchors: TrustAnchors }> {
  // also for an http:// registry: its token service may still be https
  const anchors = await resolveTrustAnchors({
    caFile: o.caFile,
    certsDirs: o.target.registry.dirNames.map((d) => path.join(underRoot(o.root, CERTS_D), d)),
    systemBundles: SYSTEM_BUNDLES.map((f) => underRoot(o.root, f)),
  });
  const client = new RegistryClient({ target: o.target, transport: nodeTransport({ ca: anchors.ca }), anchors, credentials: o.credentials, hint: o.hint });
  return { client, anchors };
}
