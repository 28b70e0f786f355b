/**
 * The one --root rule: an absolute host path that comes from the config or the installation
 * (certificate, key, CA files, data_volume, log location, install dir, /etc/docker, systemd) is
 * read and written under --root; a path the config gave relative to its own file is read where
 * the config file is, like the config file itself and every path typed on the command line.
 * Rendered files keep naming the real paths either way.
 */
import path from 'node:path';
import type { HarborConfig } from '../config/model.js';
import { underRoot } from '../util/root.js';

export type HostPathResolver = (configPath: string) => string;

export function hostPathResolver(root: string | undefined, config: Pick<HarborConfig, 'configRelativePaths'>): HostPathResolver {
  const relative = new Set(config.configRelativePaths);
  return (p) => (p === '' || relative.has(p) ? p : underRoot(root, p));
}

/**
 * The config with every file it names replaced by the path regctl reads it at, for the checks
 * that look at those files (exists, parses, key matches): their messages then name the real file.
 */
export function withHostPaths(config: HarborConfig, at: HostPathResolver): HarborConfig {
  const storageConfig = { ...config.storage.providerConfig };
  if (typeof storageConfig.keyfile === 'string') storageConfig.keyfile = at(storageConfig.keyfile);
  return {
    ...config,
    https: config.https && {
      ...config.https,
      certificate: at(config.https.certificate),
      privateKey: at(config.https.privateKey),
      caFile: config.https.caFile && at(config.https.caFile),
    },
    internalTls: { ...config.internalTls, dir: at(config.internalTls.dir) },
    storage: { ...config.storage, caBundle: config.storage.caBundle && at(config.storage.caBundle), providerConfig: storageConfig },
    redis: { ...config.redis, tlsRootCA: config.redis.tlsRootCA && at(config.redis.tlsRootCA) },
    uaaCaFile: config.uaaCaFile && at(config.uaaCaFile),
  };
}

/**
 * For copy sources in a rendered tree: a file the config names (or one inside its internal_tls
 * dir) is read through the --root rule; any other source (regctl's own CA under data_volume, a
 * --ca FILE typed on the command line) is already the real path.
 */
export function copySourceResolver(root: string | undefined, config: HarborConfig): HostPathResolver {
  const at = hostPathResolver(root, config);
  const named = new Set(
    [
      config.https?.certificate,
      config.https?.privateKey,
      config.https?.caFile,
      config.storage.caBundle,
      typeof config.storage.providerConfig.keyfile === 'string' ? config.storage.providerConfig.keyfile : undefined,
      config.redis.tlsRootCA,
      config.uaaCaFile,
    ].filter((p): p is string => Boolean(p)),
  );
  const tlsDir = config.internalTls.enabled && config.internalTls.dir ? config.internalTls.dir.replace(/\/+$/, '') + '/' : undefined;
  return (from) => {
    if (named.has(from)) return at(from);
    if (tlsDir && from.startsWith(tlsDir)) return path.join(at(config.internalTls.dir), from.slice(tlsDir.length));
    return from;
  };
}
