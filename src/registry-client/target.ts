/**
 * What `regctl registry catalog|tags` talk to, from the argument as typed: `HOST[:PORT]` (https),
 * `http://HOST[:PORT]` for a registry that really has no TLS, and `/REPO` after it for tags.
 * The host part is the same HOST[:PORT] clients write in image names (src/trust/registry.ts), so
 * it also names the certs.d directory and the docker config entry.
 */
import { ExitCode, RegctlError } from '../errors.js';
import { parseRegistry, type RegistryRef } from '../trust/registry.js';

export interface RegistryTarget {
  scheme: 'https' | 'http';
  registry: RegistryRef;
  /** `https://host:port` */
  origin: string;
  /** the repository, for tags */
  repository?: string;
}

/** distribution's reference grammar for a repository path (reference/regexp.go) */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;

export function parseTarget(raw: string, opts: { repository: boolean }): RegistryTarget {
  const label = opts.repository ? 'HOST[:PORT]/REPO' : 'HOST[:PORT]';
  let rest = raw.trim();
  let scheme: 'https' | 'http' = 'https';
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (m) {
    const s = m[1]!.toLowerCase();
    if (s !== 'https' && s !== 'http') throw usage(`${label} '${raw}': scheme ${m[1]}:// is not a registry's`, `write ${rest.slice(m[0].length)} (https) or http://${rest.slice(m[0].length)}`);
    scheme = s;
    rest = rest.slice(m[0].length);
  }
  const slash = rest.indexOf('/');
  const hostPart = slash < 0 ? rest : rest.slice(0, slash);
  const pathPart = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  if (opts.repository && !pathPart) throw usage(`'${raw}' names no repository`, `write HOST[:PORT]/REPO, e.g. ${hostPart || 'reg.example.com'}/library/nginx`);
  if (!opts.repository && pathPart) throw usage(`'${raw}': the catalog is per registry, not per repository`, `run regctl registry catalog ${scheme === 'http' ? 'http://' : ''}${hostPart}, or regctl registry tags ${raw} for the tags of ${pathPart}`);
  if (pathPart && (pathPart.length > 255 || !pathPart.split('/').every((c) => COMPONENT.test(c)))) {
    throw usage(`'${pathPart}' is not a repository name`, 'repository names are lower-case path components of letters, digits and single separators (. _ __ -), e.g. library/nginx');
  }
  const registry = parseRegistry(hostPart, label);
  const hostPort = registry.port === undefined || (scheme === 'https' && registry.port === 443) ? registry.name.replace(/:443$/, '') : registry.asTyped;
  return { scheme, registry, origin: `${scheme}://${hostPort}`, ...(pathPart ? { repository: pathPart } : {}) };
}

function usage(message: string, fix: string): RegctlError {
  return new RegctlError('E_REGISTRY_ARGUMENT', message, { fix, exitCode: ExitCode.invalidInput });
}
