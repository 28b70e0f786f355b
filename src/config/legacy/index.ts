/**
 * Legacy harbor.cfg (Harbor 1.1–1.7) → the same ConfigDocument a harbor.yml gives.
 *
 *   parse.ts     the Python-2 RawConfigParser dialect → entries with line numbers
 *   version.ts   which 1.x release wrote the file
 *   map.ts       entries → harbor.yml-shaped data on top of v2.15's template defaults, by running
 *   rules/       the list of mapping rules (one per legacy key or group of keys) over one context
 *   leftovers.ts keys harbor.yml cannot hold (one warning) and unknown keys
 *   keys.ts      every known legacy key and its fate
 *
 * Paths (ssl_cert, ca bundles…) stay as written; the caller resolves relative ones against the
 * config file's directory.
 */
import type { ConfigDocument, ParsedConfig } from '../document.js';
import type { SourceLocation } from '../../errors.js';
import { mapLegacyEntries, type LegacyMapResult } from './map.js';
import { parseCfgText, type CfgEntry } from './parse.js';
import type { LegacyVersion } from './version.js';

export interface HarborCfgOptions {
  /** the 1.x release that wrote the file, overriding the detection (e.g. '1.3') */
  legacyVersion?: LegacyVersion;
  /** reject `[section]` lines instead of warning about them */
  strictSections?: boolean;
}

export function parseHarborCfg(file: string, text: string, options: HarborCfgOptions = {}): ParsedConfig {
  return readHarborCfg(file, text, options).parsed;
}

/** parseHarborCfg plus what only the legacy path knows: the release and the system settings. */
export function readHarborCfg(
  file: string,
  text: string,
  options: HarborCfgOptions = {},
): { parsed: ParsedConfig; mapping: LegacyMapResult } {
  const syntax = parseCfgText(file, text, { strictSections: options.strictSections });
  const mapping = mapLegacyEntries(file, syntax.entries, { legacyVersion: options.legacyVersion });
  const problems = [...syntax.problems, ...mapping.problems].sort(byLine);
  // A file legacy Harbor could not read yields no document, only problems (mapping problems are
  // still reported, so the user sees everything at once).
  if (syntax.problems.some((p) => p.severity === 'error')) return { parsed: { problems }, mapping };
  const doc: ConfigDocument = {
    file,
    format: 'cfg',
    data: mapping.data,
    locate: (keyPath) => locateIn(file, mapping.origins, keyPath),
    unservedCertificates: mapping.unservedCertificates.map((e) => ({ path: e.value, location: { file, line: e.line, column: e.column, key: e.key } })),
  };
  return { parsed: { doc, problems }, mapping };
}

function locateIn(file: string, origins: ReadonlyMap<string, CfgEntry[]>, keyPath: string): SourceLocation {
  for (let path = keyPath; path !== ''; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
    const from = origins.get(path);
    if (from && from.length > 0) {
      const first = from[0] as CfgEntry;
      return { file, line: first.line, column: first.column, key: `${from.map((e) => e.key).join(', ')} (→ ${keyPath})` };
    }
  }
  return { file, key: keyPath };
}

function byLine(a: { line?: number }, b: { line?: number }): number {
  return (a.line ?? 0) - (b.line ?? 0);
}

export type { CfgEntry, CfgParseResult } from './parse.js';
export type { LegacyMapResult } from './map.js';
export type { SystemSettings } from './leftovers.js';
export type { LegacyVersion, LegacyVersionInfo } from './version.js';
export { parseCfgText } from './parse.js';
export { mapLegacyEntries } from './map.js';
export { detectLegacyVersion } from './version.js';
export { LEGACY_KEYS } from './keys.js';
