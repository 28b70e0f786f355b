/**
 * harbor.cfg (Harbor 1.1–1.7) → harbor.yml for the target line. The values come from the legacy
 * mapping regctl's prepare already uses (src/config/legacy/); the text starts from regctl's own
 * annotated example (examples/harbor.yml, the 2.15 template with its comments) with the mapped
 * values laid on top. Keys the target line does not read are left out. The report says for every
 * legacy key where it went: harbor.yml, Harbor's database (only values that differ from Harbor's
 * defaults, as CONFIG_OVERWRITE_JSON and as a curl call; passwords read from the terminal, never
 * printed), or nowhere and why.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { relocateData, relocationNote, type Relocation } from './relocate.js';
import { ExitCode, RegctlError, type Problem } from '../errors.js';
import { readHarborCfg, parseCfgText, type CfgEntry } from '../config/legacy/index.js';
import { legacyKey } from '../config/legacy/keys.js';
import { keyOutsideLine } from '../config/key-lifetimes.js';
import { bundledExample } from '../util/package-files.js';
import { shellQuote } from '../commands/flags.js';
import type { HarborRelease } from '../releases/types.js';
import { validateMigrated, type MigrateOptions, type MigrateResult } from './run.js';
import { maskedDiff } from './diff.js';
import { checkOutput, writeAtomically } from './write.js';

/** Harbor's defaults of the settings a harbor.cfg could seed (src/lib/config/metadata/metadatalist.go at v2.15.2). */
export const SETTING_DEFAULTS: Record<string, string | number | boolean> = {
  auth_mode: 'db_auth',
  self_registration: false,
  token_expiration: 30,
  project_creation_restriction: 'everyone',
  ldap_url: '',
  ldap_search_dn: '',
  ldap_search_password: '',
  ldap_base_dn: '',
  ldap_filter: '',
  ldap_uid: 'cn',
  ldap_scope: 2,
  ldap_timeout: 5,
  ldap_verify_cert: true,
  ldap_group_base_dn: '',
  ldap_group_search_filter: '',
  ldap_group_attribute_name: '',
  ldap_group_search_scope: 2,
  ldap_group_admin_dn: '',
  uaa_endpoint: '',
  uaa_client_id: '',
  uaa_client_secret: '',
  uaa_verify_cert: false,
};

export const SECRET_SETTINGS = new Set(['ldap_search_password', 'uaa_client_secret']);

export type KeyFate =
  | { key: string; line: number; fate: 'mapped'; to: string[] }
  | { key: string; line: number; fate: 'database'; setting: string; differs: boolean }
  | { key: string; line: number; fate: 'dropped'; why: string };

export interface CfgReport {
  legacyVersion: string | null;
  keys: KeyFate[];
  /** the settings to apply, secrets as names only */
  settings: Record<string, string | number | boolean | { secret: true }>;
  configOverwriteJson?: string;
  curl?: string[];
}

const envName = (setting: string) => setting.toUpperCase();

/** The report's settings part: CONFIG_OVERWRITE_JSON and the curl call, secrets read from the terminal. */
export function settingsCommands(settings: Record<string, string | number | boolean>, publicUrl: string): { json: string; curl: string[]; shown: CfgReport['settings'] } {
  const secrets = Object.keys(settings).filter((k) => SECRET_SETTINGS.has(k));
  const marker = (k: string) => `@@${k}@@`;
  const body: Record<string, string | number | boolean> = {};
  const shown: CfgReport['settings'] = {};
  for (const [k, v] of Object.entries(settings)) {
    body[k] = SECRET_SETTINGS.has(k) ? marker(k) : v;
    shown[k] = SECRET_SETTINGS.has(k) ? { secret: true } : v;
  }
  // single-quoted JSON; each secret is spliced in as "$VAR", JSON-escaped by the shell after it is read
  let quoted = `'${JSON.stringify(body).replace(/'/g, `'\\''`)}'`;
  for (const k of secrets) quoted = quoted.replace(marker(k), `'"$${envName(k)}"'`);
  const reads = secrets.map(
    (k) => `read -rsp ${shellQuote(`${k}: `)} ${envName(k)}; echo; ${envName(k)}=$(printf '%s' "$${envName(k)}" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g')`,
  );
  return {
    json: quoted,
    shown,
    curl: [
      ...reads,
      `curl -u admin -X PUT -H 'Content-Type: application/json' ${shellQuote(`${publicUrl}/api/v2.0/configurations`)} --data ${quoted}`,
    ],
  };
}

/** Sets `data` onto the document's map: keys absent from data are deleted; scalars keep their comments. */
function layOn(doc: Document, map: YAMLMap, data: Record<string, unknown>): void {
  for (const item of [...map.items] as Pair[]) {
    if (isPair(item) && isScalar(item.key) && !(String(item.key.value) in data)) map.delete(item.key);
  }
  for (const [k, v] of Object.entries(data)) {
    const cur: unknown = map.get(k, true);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && isMap(cur) && Object.keys(v).length) {
      layOn(doc, cur as YAMLMap, v as Record<string, unknown>);
    } else if (isScalar(cur) && (v === null || typeof v !== 'object')) {
      // a scalar over a scalar: the node (and the template's comment on it) stays
      cur.value = v;
    } else {
      map.set(k, doc.createNode(v));
    }
  }
}

function dropOutsideLine(data: Record<string, unknown>, schema: string, prefix = ''): void {
  for (const [k, v] of Object.entries(data)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (keyOutsideLine(key, schema)) delete data[k];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) dropOutsideLine(v as Record<string, unknown>, schema, key);
  }
}

/** @param outputDir where the harbor.yml will be written (default: beside the harbor.cfg): relative paths are rewritten for it */
export function cfgToYmlText(file: string, text: string, release: HarborRelease, outputDir = path.dirname(file)): { text: string; problems: Problem[]; report: CfgReport; systemSettings: Record<string, string | number | boolean>; entries: ReadonlyMap<string, CfgEntry>; legacyVersion: string | null; data: Record<string, unknown>; relocations: Relocation[] } {
  const { parsed, mapping } = readHarborCfg(file, text);
  if (!parsed.doc) {
    throw new RegctlError('E_CONFIG_INVALID', `${file} is not a harbor.cfg regctl can read; nothing was written`, { file, exitCode: ExitCode.invalidInput, problems: parsed.problems, fix: 'fix the problems listed above, then run migrate again' });
  }
  const data = structuredClone(mapping.data);
  const relocations = relocateData(data, path.dirname(file), outputDir);
  data._version = release.schemaVersion;
  dropOutsideLine(data, release.schemaVersion);
  const base = parseDocument(readFileSync(bundledExample('harbor.yml'), 'utf8'));
  base.commentBefore = [
    ` harbor.yml for Harbor ${release.version} (schema ${release.schemaVersion}), written by \`regctl migrate\``,
    ` from ${path.basename(file)} (Harbor ${mapping.version.version ?? '1.x'}). The comments are regctl's annotated example's;`,
    ' the settings harbor.cfg seeded into the database (LDAP, auth mode...) are not here: see the report.',
  ].join('\n');
  layOn(base, base.contents as YAMLMap, data);
  // the example serves https; its "redirects to https" says the wrong thing about a plain http file
  if (!data.https) {
    const port = base.getIn(['http', 'port'], true);
    if (isScalar(port)) port.comment = undefined;
  }
  const out = base.toString({ lineWidth: 0 });

  const entries = parseCfgText(file, text).entries;
  const targetsOf = new Map<string, string[]>();
  for (const [ymlKey, from] of mapping.origins) for (const e of from) targetsOf.set(e.key, [...(targetsOf.get(e.key) ?? []), ymlKey]);
  const keys: KeyFate[] = [];
  const settings: Record<string, string | number | boolean> = {};
  for (const e of [...entries.values()].sort((a, b) => a.line - b.line)) {
    const known = legacyKey(e.key);
    const to = targetsOf.get(e.key);
    if (known?.fate.kind === 'setting') {
      const setting = known.fate.setting;
      const value = mapping.systemSettings[setting];
      const differs = value !== undefined && value !== SETTING_DEFAULTS[setting];
      if (differs) settings[setting] = value;
      keys.push({ key: e.key, line: e.line, fate: 'database', setting, differs });
    } else if (to?.length) keys.push({ key: e.key, line: e.line, fate: 'mapped', to: [...new Set(to)].filter((t) => !keyOutsideLine(t, release.schemaVersion)) });
    else if (known?.fate.kind === 'harbor.yml') keys.push({ key: e.key, line: e.line, fate: 'dropped', why: `its value is ${e.value === '' ? 'empty' : "Harbor's default or not used with the rest of this file"}, so harbor.yml keeps the template's` });
    else if (known?.fate.kind === 'gone') keys.push({ key: e.key, line: e.line, fate: 'dropped', why: known.fate.where });
    else if (known?.fate.kind === 'version') keys.push({ key: e.key, line: e.line, fate: 'dropped', why: 'only told which 1.x release wrote the file' });
    else keys.push({ key: e.key, line: e.line, fate: 'dropped', why: 'not a harbor.cfg key of any 1.x release' });
  }
  const report: CfgReport = { legacyVersion: mapping.version.version, keys, settings: {} };
  // the W_CFG_UNMAPPED listing is this report's job here
  const problems = parsed.problems.filter((p) => p.code !== 'W_CFG_UNMAPPED');
  return { text: out, problems, report, systemSettings: settings, entries, legacyVersion: mapping.version.version, data, relocations };
}

export function reportLines(report: CfgReport, commands?: { json: string; curl: string[] }): string[] {
  const lines = [`harbor.cfg (Harbor ${report.legacyVersion ?? '1.x, release unknown'}), key by key:`];
  const mapped = report.keys.filter((k) => k.fate === 'mapped') as Extract<KeyFate, { fate: 'mapped' }>[];
  const db = report.keys.filter((k) => k.fate === 'database') as Extract<KeyFate, { fate: 'database' }>[];
  const dropped = report.keys.filter((k) => k.fate === 'dropped') as Extract<KeyFate, { fate: 'dropped' }>[];
  lines.push(`  mapped into harbor.yml (${mapped.length}):`);
  for (const k of mapped) lines.push(`    ${k.key} (line ${k.line}) → ${k.to.join(', ')}`);
  lines.push(`  in Harbor's database now (${db.length}; set after the first start, only values that differ from Harbor's defaults):`);
  for (const k of db) lines.push(`    ${k.key} (line ${k.line}) → ${k.setting}${k.differs ? '' : ' (Harbor default or empty: nothing to set)'}`);
  lines.push(`  dropped (${dropped.length}):`);
  for (const k of dropped) lines.push(`    ${k.key} (line ${k.line}): ${k.why}`);
  if (commands) {
    lines.push('  to apply the database settings, either give core this environment before its first start:');
    lines.push(`    CONFIG_OVERWRITE_JSON=${commands.json}`);
    lines.push('  or, with Harbor running, call the API (the admin password and any secret are asked for, never shown):');
    for (const c of commands.curl) lines.push(`    ${c}`);
  } else lines.push("  no database setting differs from Harbor's defaults: nothing to set");
  return lines;
}

export async function migrateCfg(opts: MigrateOptions & { input: string; text: string; release: HarborRelease }): Promise<MigrateResult> {
  const { input, text, release } = opts;
  const output = opts.output ? path.resolve(opts.cwd, opts.output) : path.join(path.dirname(input), 'harbor.yml');
  const converted = cfgToYmlText(input, text, release, path.dirname(output));
  const validation = validateMigrated(output, converted.text, release, opts.root);
  const hostname = String(converted.data.hostname ?? 'HOSTNAME');
  const https = converted.data.https as { port?: number } | undefined;
  const publicUrl = https ? `https://${hostname}${https.port && https.port !== 443 ? `:${https.port}` : ''}` : `http://${hostname}${(converted.data.http as { port?: number })?.port && (converted.data.http as { port: number }).port !== 80 ? `:${(converted.data.http as { port: number }).port}` : ''}`;
  const commands = Object.keys(converted.systemSettings).length ? settingsCommands(converted.systemSettings, publicUrl) : undefined;
  converted.report.settings = commands?.shown ?? {};
  if (commands) {
    converted.report.configOverwriteJson = commands.json;
    converted.report.curl = commands.curl;
  }
  const result: MigrateResult = {
    input,
    inputFormat: 'cfg',
    output,
    release,
    from: converted.legacyVersion ?? '1.x',
    to: release.schemaVersion,
    wrote: false,
    changes: converted.relocations.length ? [relocationNote(converted.relocations, path.dirname(output))] : [],
    // a MySQL-era database is something the file cannot fix: a next step, not a warning
    findings: [...converted.problems.filter((p) => p.code !== 'W_CFG_MYSQL_DATA'), ...validation.findings],
    nextSteps: [...converted.problems.filter((p) => p.code === 'W_CFG_MYSQL_DATA'), ...validation.nextSteps],
    text: converted.text,
    report: reportLines(converted.report, commands),
    reportData: converted.report,
  };
  if (!opts.dryRun) await checkOutput(output, input, opts.force, '.bak');
  if (opts.applySecrets) {
    const { applySecrets } = await import('./secrets.js');
    result.secrets = await applySecrets({ entries: converted.entries, dataVolume: String(converted.data.data_volume ?? '/data'), root: opts.root, dryRun: opts.dryRun, file: input });
  }
  if (opts.dryRun) {
    result.diff = maskedDiff('/dev/null', output, '', converted.text);
    return result;
  }
  await writeAtomically(output, converted.text);
  result.wrote = true;
  return result;
}
