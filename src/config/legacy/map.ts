/**
 * harbor.cfg entries → harbor.yml-shaped data for Harbor v2.15 (the keys of goharbor/harbor
 * make/harbor.cfg at v1.1.0–v1.7.6 onto make/harbor.yml.tmpl at v2.15.2).
 *
 * We start from the template's defaults and lay the mapped values on top, because today's prepare needs keys (data_volume, job loggers, log.level…) that no harbor.cfg
 * ever had. The mappings themselves are the rules in rules/; this runner gives them one context,
 * then reports every key no rule claimed (system settings, removed keys, unknown keys).
 */
import type { Problem } from '../../errors.js';
import { HARBOR_YML_KEY_ORDER } from './defaults.js';
import type { CfgEntry } from './parse.js';
import { reportLeftoverKeys, type SystemSettings } from './leftovers.js';
import { createLegacyContext } from './rules/context.js';
import { LEGACY_RULES, type LegacyRule } from './rules/index.js';
import { detectLegacyVersion, type LegacyVersion, type LegacyVersionInfo } from './version.js';

export interface LegacyMapOptions {
  /** the release that wrote the file, when the user knows better than the heuristic */
  legacyVersion?: LegacyVersion;
}

export interface LegacyMapResult {
  /** harbor.yml-shaped data */
  data: Record<string, unknown>;
  /** harbor.yml key path → the legacy entries its value came from */
  origins: Map<string, CfgEntry[]>;
  problems: Problem[];
  version: LegacyVersionInfo;
  /** settings that now live in Harbor's database, under today's names, with converted values */
  systemSettings: SystemSettings;
  /** ssl_cert while ui_url_protocol = http: an error if that file exists (the user meant https) */
  unservedCertificates: CfgEntry[];
}

export { STORAGE_PROVIDERS } from './rules/index.js';

export function mapLegacyEntries(
  file: string,
  entries: ReadonlyMap<string, CfgEntry>,
  options: LegacyMapOptions = {},
  rules: readonly LegacyRule[] = LEGACY_RULES,
): LegacyMapResult {
  const version = detectLegacyVersion(entries, options.legacyVersion);
  const ctx = createLegacyContext(file, entries, version);
  for (const rule of rules) {
    ctx.claim(...rule.reads);
    rule.apply(ctx);
  }
  const leftovers = reportLeftoverKeys(file, entries, ctx.claimed, version);
  return {
    data: orderTopLevel(ctx.data),
    origins: ctx.origins,
    problems: [...ctx.problems, ...leftovers.problems],
    version,
    systemSettings: leftovers.systemSettings,
    unservedCertificates: ctx.unservedCertificates,
  };
}

function orderTopLevel(data: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of HARBOR_YML_KEY_ORDER) if (key in data) ordered[key] = data[key];
  for (const key of Object.keys(data)) if (!(key in ordered)) ordered[key] = data[key];
  return ordered;
}
