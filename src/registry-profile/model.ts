/**
 * The plain registry profile (`regctl install --profile registry`): one distribution registry
 * container with TLS and htpasswd auth, described by a small registry.yml (examples/registry.yml).
 * This is the typed model the loader (load.ts) builds and the renderer (render.ts) reads.
 */

/** distribution's own image; overridable with `image:` (mirrors, pinned digests) */
export const DEFAULT_REGISTRY_IMAGE = 'registry:2';
export const DEFAULT_TLS_PORT = 443;
/** the seed's bare HTTP registry listened on :5000 (and so does distribution's image by default) */
export const DEFAULT_INSECURE_PORT = 5000;

export interface RegistryProfileConfig {
  /** absolute path of registry.yml */
  file: string;
  /** what clients type: a DNS name or an IP address (goes into the certificate's SANs) */
  hostname: string;
  port: number;
  /** undefined: plain HTTP (--insecure) */
  tls?: { certificate: string; privateKey: string };
  /** absolute host path of the htpasswd file (bcrypt, `regctl registry user add`) */
  htpasswd: string;
  /** absolute host path of the blob store (storage.filesystem.rootdirectory) */
  storageDir: string;
  /** storage.delete.enabled: lets clients delete manifests (needed for garbage collection) */
  deleteEnabled: boolean;
  image: string;
}
