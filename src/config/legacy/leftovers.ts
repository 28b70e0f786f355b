/**
 * The harbor.cfg keys that harbor.yml cannot hold. They are reported in ONE warning that lists each
 * key with where it lives now (a system setting in Harbor's database, or nowhere), so a user can
 * carry the settings over by hand; unknown keys get a warning each with a did-you-mean.
 * The system settings are also returned under today's names with converted values, for a later
 * step that sets them through the API.
 */
import { problem, type Problem } from '../../errors.js';
import { LEGACY_KEYS, legacyKey, type SettingType } from './keys.js';
import type { CfgEntry } from './parse.js';
import { didYouMean } from '../../util/levenshtein.js';
import { legacyBool, parseLegacyInt } from './values.js';
import { isAtMost, type LegacyVersionInfo } from './version.js';
import { HARBOR_YML_KEY_ORDER } from './defaults.js';

export type SystemSettings = Record<string, string | number | boolean>;

const SETTINGS_API = 'PUT /api/v2.0/configurations';

interface Converted {
  value?: string | number | boolean;
  /** said after the target in the listing */
  note?: string;
}

export function reportLeftoverKeys(
  file: string,
  entries: ReadonlyMap<string, CfgEntry>,
  handled: ReadonlySet<string>,
  version: LegacyVersionInfo,
): { problems: Problem[]; systemSettings: SystemSettings } {
  const problems: Problem[] = [];
  const systemSettings: SystemSettings = {};
  const listing: Array<{ line: number; text: string }> = [];
  let count = 0;
  const groups = new Map<string, CfgEntry[]>();
  const leftovers = [...entries.values()].filter((e) => !handled.has(e.key)).sort((a, b) => a.line - b.line);

  for (const entry of leftovers) {
    const known = legacyKey(entry.key);
    if (!known) {
      problems.push(unknownKeyProblem(file, entry));
      continue;
    }
    const fate = known.fate;
    if (fate.kind === 'version') continue;
    if ((fate.kind === 'setting' && fate.type === 'bool') || (fate.kind === 'gone' && fate.type === 'bool')) {
      checkBoolean(file, entry, problems);
    }
    count++;
    if (fate.kind === 'setting') {
      const converted = convertSetting(entry, fate.type, version);
      if (converted.value !== undefined) systemSettings[fate.setting] = converted.value;
      const shown =
        fate.type === 'secret' ? ' (value not shown)' : converted.value === undefined ? '' : ` = ${typeof converted.value === 'string' ? JSON.stringify(converted.value) : String(converted.value)}`;
      listing.push({
        line: entry.line,
        text: `${entry.key} (line ${entry.line}) → Harbor UI/API system setting ${fate.setting}${shown}${converted.note ? ` (${converted.note})` : ''}`,
      });
      continue;
    }
    let where = fate.kind === 'gone' ? fate.where : 'used only with auth_mode = uaa_auth, as uaa.ca_file';
    if (entry.key === 'admiral_url' && entry.value !== '' && entry.value !== 'NA') where += '; your value is ignored';
    if (entry.key === 'verify_remote_cert' && !legacyBool(entry.value).value) where += '; it was off, so mark your replication endpoints as insecure';
    const group = groups.get(where) ?? [];
    group.push(entry);
    groups.set(where, group);
  }
  for (const [where, group] of groups) {
    const lines = group.map((e) => e.line);
    const at = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
    listing.push({ line: lines[0] as number, text: `${group.map((e) => e.key).join(', ')} (${at}) → ${where}` });
  }

  if (listing.length > 0) {
    listing.sort((a, b) => a.line - b.line);
    problems.push(
      problem(
        'warning',
        'W_CFG_UNMAPPED',
        `${count} harbor.cfg key${count === 1 ? ' has' : 's have'} no place in harbor.yml; regctl does not apply ${count === 1 ? 'it' : 'them'}:\n${listing.map((l) => `  ${l.text}`).join('\n')}`,
        {
          file,
          line: listing[0]?.line,
          fix: `Set the system settings after the first start in the web UI (Administration → Configuration) or with ${SETTINGS_API}. On a Harbor that already ran, the values in use are in its database: harbor.cfg only seeded them on the first start.`,
        },
      ),
    );
  }
  return { problems, systemSettings };
}

function convertSetting(entry: CfgEntry, type: SettingType, version: LegacyVersionInfo): Converted {
  const raw = entry.value;
  switch (type) {
    case 'string':
    case 'secret':
      return { value: raw, note: raw === '' ? 'empty' : undefined };
    case 'bool':
      return { value: legacyBool(raw).value };
    case 'int': {
      if (raw === '') return { note: "empty: Harbor's default applies" };
      const n = parseLegacyInt(raw);
      return n === undefined ? { note: `${JSON.stringify(raw)} is not a whole number; set it by hand` } : { value: n };
    }
    case 'ldapScope':
      return convertLdapScope(raw, version);
  }
}

/** ldap_scope was 1 base, 2 one level, 3 subtree up to 1.3; 0/1/2 from 1.4 (spec §4.3). */
function convertLdapScope(raw: string, version: LegacyVersionInfo): Converted {
  const n = parseLegacyInt(raw);
  if (n === undefined || n < 0) return { note: `${JSON.stringify(raw)} is not a scope; use 0 (base), 1 (one level) or 2 (subtree)` };
  if (isAtMost(version.version, '1.3')) {
    if (n < 1 || n > 3) return { note: `${n} was not a valid scope in Harbor ${version.version}; use 0 (base), 1 (one level) or 2 (subtree)` };
    return { value: n - 1, note: `was ${n} in Harbor ${version.version}'s numbering, renumbered in v1.4` };
  }
  if (n >= 3) {
    return {
      value: 2,
      note: version.version === null ? `${n} can only be the pre-1.4 numbering (subtree)` : `${n} is above 2; Harbor v1.4+ treated it as 2 (subtree)`,
    };
  }
  if (version.version === null) return { value: n, note: 'the release that wrote this file is unknown: read with the 0/1/2 numbering of v1.4+; for an older file add a line _version = 1.3.0 (the release that wrote it)' };
  return { value: n };
}

function checkBoolean(file: string, entry: CfgEntry, problems: Problem[]): void {
  const { value, recognised } = legacyBool(entry.value);
  if (recognised) return;
  problems.push(
    problem('warning', 'W_CFG_BOOLEAN', `${entry.key} = ${JSON.stringify(entry.value)} is not on, off, true or false; legacy Harbor read it as ${value}`, {
      file,
      line: entry.line,
      column: entry.column,
      key: entry.key,
      fix: `Write ${entry.key} = ${value ? 'true' : 'false'} (or the value you meant).`,
    }),
  );
}

function unknownKeyProblem(file: string, entry: CfgEntry): Problem {
  const guess = didYouMean(entry.key, LEGACY_KEYS.map((k) => k.key));
  const ymlKey = HARBOR_YML_KEY_ORDER.includes(entry.key);
  const fix = guess
    ? `Rename it to ${guess}, or delete the line.`
    : ymlKey
      ? `${entry.key} is a harbor.yml key; a harbor.cfg cannot set it. Convert the file to harbor.yml (\`regctl migrate --config harbor.cfg\`) to use it.`
      : 'Delete the line; legacy Harbor ignored unknown keys too.';
  return problem('warning', 'W_CFG_UNKNOWN_KEY', `unknown key ${entry.key} on line ${entry.line} is ignored${guess ? `; did you mean ${guess}?` : ''}`, {
    file,
    line: entry.line,
    column: 1,
    key: entry.key,
    fix,
  });
}
