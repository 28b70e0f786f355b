/**
 * Value conversions from harbor.cfg strings to harbor.yml values (as make/prepare at v1.7.6 read them).
 * Pure functions; the mapper decides what to warn about.
 */
import { INTERNAL_NO_PROXY as TODAYS_INTERNAL_NO_PROXY, LINE_SPECIFIC_NO_PROXY } from '../../render/components/index.js';

/** Legacy booleans: lower-cased `true` or `on` is true, anything else false. */
export function legacyBool(value: string): { value: boolean; recognised: boolean } {
  const v = value.trim().toLowerCase();
  return { value: v === 'true' || v === 'on', recognised: ['true', 'false', 'on', 'off'].includes(v) };
}

/** An integer as Go's Atoi read it (sign allowed); undefined when it is not one. */
export function parseLegacyInt(value: string): number | undefined {
  const v = value.trim();
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * `host:port` as documented for 1.x when the published port was changed by hand. IPv6 needs
 * brackets (`[::1]:8443`); a bare IPv6 address has no port.
 */
export function splitHostPort(value: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] as string };
  const plain = /^([^:]+):(\d+)$/.exec(value);
  if (plain) return { host: plain[1] as string, port: plain[2] as string };
  return undefined;
}

/**
 * A scalar as the YAML splice of legacy prepare made it: `true`/`false` and numbers became typed,
 * everything else stayed a string. Numbers with a leading zero stay strings (YAML 1.1 would read
 * them as octal, which nobody writing an access key means).
 */
export function yamlishScalar(value: string): string | number | boolean {
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  if (/^[-+]?(0|[1-9]\d*)$/.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  if (/^[-+]?(0|[1-9]\d*)?\.\d+([eE][-+]?\d+)?$/.test(value) || /^[-+]?(0|[1-9]\d*)\.\d*([eE][-+]?\d+)?$/.test(value)) {
    return Number(value);
  }
  return value;
}

export interface StoragePair {
  key: string;
  value: string | number | boolean;
  /** the pair had no space after its ':' (only the first pair got one inserted by legacy prepare) */
  missingSpace: boolean;
}

/**
 * registry_storage_provider_config: `k: v, k2: v2`. Legacy prepare split on ',' and wrote each
 * part as one YAML line, so values cannot contain commas. Returns the pairs, or the parts that
 * are not `key: value`.
 */
export function parseStorageConfig(text: string): { pairs: StoragePair[]; bad: string[] } {
  const pairs: StoragePair[] = [];
  const bad: string[] = [];
  text.split(',').forEach((rawPart, index) => {
    const part = rawPart.trim();
    if (part === '') return;
    const colon = part.indexOf(':');
    if (colon <= 0) {
      bad.push(part);
      return;
    }
    const key = part.slice(0, colon).trim();
    const rest = part.slice(colon + 1);
    const value = rest.trim();
    pairs.push({
      key,
      value: value === '' ? '' : yamlishScalar(value),
      missingSpace: index > 0 && rest !== '' && !/^\s/.test(rest),
    });
  });
  return { pairs, bad };
}

/**
 * Names legacy no_proxy lists carried for Harbor 1.x's own services (ui, adminserver, mysql: gone
 * since v2.0), plus today's internal list, which prepare adds itself.
 */
const INTERNAL_NO_PROXY = new Set([...TODAYS_INTERNAL_NO_PROXY, ...LINE_SPECIFIC_NO_PROXY, 'ui', 'adminserver', 'mysql']);

/** The entries of a legacy no_proxy that the user added (internal names dropped, duplicates removed). */
export function userNoProxyEntries(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item && !INTERNAL_NO_PROXY.has(item.toLowerCase()) && !out.includes(item)) out.push(item);
  }
  return out;
}

/** redis_url (1.4–1.5): `address:port[,weight,password,db_index]`. */
export function parseRedisUrl(value: string): { host: string; password: string; dbIndex: string } {
  const parts = value.split(',').map((p) => p.trim());
  return { host: parts[0] ?? '', password: parts[2] ?? '', dbIndex: parts[3] ?? '' };
}

/** redis_db_index (1.6+): `registry,jobservice,chartmuseum`. */
export function parseRedisDbIndex(value: string): { registry: number; jobservice: number; parts: number } | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length < 2) return undefined;
  const registry = parseLegacyInt(parts[0] as string);
  const jobservice = parseLegacyInt(parts[1] as string);
  if (registry === undefined || jobservice === undefined || registry < 0 || jobservice < 0) return undefined;
  return { registry, jobservice, parts: parts.length };
}
