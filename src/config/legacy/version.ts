/**
 * Which Harbor release wrote a harbor.cfg (from the keys each tag's make/harbor.cfg
 * added or dropped). Stricter than Harbor's own
 * migrator, which could not tell 1.1 apart. The answer matters for ldap_scope (renumbered in 1.4)
 * and for the internal database defaults (MySQL up to 1.5, PostgreSQL from 1.6).
 */
import type { CfgEntry } from './parse.js';

export type LegacyVersion = '0.5' | '1.1' | '1.2' | '1.3' | '1.4' | '1.5' | '1.6' | '1.7';

export interface LegacyVersionInfo {
  /** null when nothing in the file gives the release away */
  version: LegacyVersion | null;
  /** how it was found */
  from: 'option' | '_version' | 'keys' | 'none';
  /** the key that gave it away (for '_version' and 'keys') */
  evidence?: CfgEntry;
  /** set when _version held something that is not a 1.x release */
  badVersionValue?: string;
}

const KNOWN: readonly LegacyVersion[] = ['0.5', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7'];

/** Heuristic steps of §5.4, newest first: the first key present decides. */
const MARKERS: ReadonlyArray<[LegacyVersion, readonly string[]]> = [
  ['1.4', ['registry_storage_provider_name', 'ldap_verify_cert']],
  ['1.3', ['uaa_endpoint', 'db_host', 'log_rotate_count']],
  ['1.2', ['clair_db_password']],
  ['1.1', ['secretkey_path', 'admiral_url', 'ldap_timeout']],
  ['0.5', ['crt_country', 'use_compressed_js']],
];

/** '1.5.0' → '1.5'; undefined when it is not a release that had harbor.cfg. */
export function normalizeLegacyVersion(text: string): LegacyVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  const v = `${Number(m[1])}.${Number(m[2])}`;
  return (KNOWN as readonly string[]).includes(v) ? (v as LegacyVersion) : undefined;
}

export function detectLegacyVersion(entries: ReadonlyMap<string, CfgEntry>, override?: LegacyVersion): LegacyVersionInfo {
  if (override) return { version: override, from: 'option' };
  const declared = entries.get('_version');
  let badVersionValue: string | undefined;
  if (declared) {
    const v = normalizeLegacyVersion(declared.value);
    if (v) return { version: v, from: '_version', evidence: declared };
    badVersionValue = declared.value;
  }
  for (const [version, keys] of MARKERS) {
    for (const key of keys) {
      const evidence = entries.get(key);
      if (evidence) return { version, from: 'keys', evidence, badVersionValue };
    }
  }
  return { version: null, from: 'none', badVersionValue };
}

/** Numeric order of releases: 0.5 < 1.1 < … < 1.7. */
export function versionRank(v: LegacyVersion): number {
  const [major, minor] = v.split('.').map(Number) as [number, number];
  return major * 100 + minor;
}

export function isAtMost(v: LegacyVersion | null, limit: LegacyVersion): boolean {
  return v !== null && versionRank(v) <= versionRank(limit);
}
