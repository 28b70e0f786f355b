/**
 * The registry does not take a redis URL: its config wants addr/password/db/... Harbor derives those
 * by re-parsing the registry's redis URL; this does the same, and reads URLs with several
 * comma-separated sentinel hosts, which WHATWG URL parsing rejects.
 */
export interface RegistryRedis {
  /** host:port, or a comma list of sentinel host:port */
  addr: string;
  /** only for redis+sentinel / rediss+sentinel */
  sentinelMasterSet?: string;
  username: string;
  password: string;
  db: number;
  tls: boolean;
}

export class RedisUrlError extends Error {}

export function parseRegistryRedisUrl(url: string): RegistryRedis {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(url);
  const scheme = m ? m[1]!.toLowerCase() : '';
  if (!m || !['redis', 'rediss', 'redis+sentinel', 'rediss+sentinel'].includes(scheme)) {
    throw new RedisUrlError(`bad redis url for registry: ${url}`);
  }
  const netloc = m[2]!;
  const path = m[3]!;
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : undefined;
  const addr = at >= 0 ? netloc.slice(at + 1) : netloc;
  let username = '';
  let password = '';
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    username = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
    password = colon >= 0 ? decode(userinfo.slice(colon + 1)) : '';
  }
  const segments = path.split('/');
  const sentinel = scheme.endsWith('+sentinel');
  let sentinelMasterSet: string | undefined;
  let dbPart: string | undefined;
  if (sentinel) {
    sentinelMasterSet = segments[1] ?? '';
    dbPart = segments.length === 3 ? segments[2] : undefined;
  } else {
    dbPart = path.length > 1 ? path.slice(1) : undefined;
  }
  const db = dbPart ? Number.parseInt(dbPart, 10) : 0;
  if (Number.isNaN(db)) throw new RedisUrlError(`bad redis db index in url for registry: ${url}`);
  return { addr, sentinelMasterSet, username, password, db, tls: scheme.startsWith('rediss') };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
