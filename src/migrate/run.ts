/**
 * The migrate use-case: an older harbor.yml (or a harbor.cfg, src/migrate/cfg.ts) → a harbor.yml
 * for the target release, checked by regctl's own validation; what it cannot resolve is returned as
 * next steps. Nothing is written on --dry-run or when the output exists without --force.
 */
import path from 'node:path';
import { relocateText, relocationNote } from './relocate.js';
import { ExitCode, RegctlError, type Problem } from '../errors.js';
import { detectFormat, loadConfigText, locateConfig } from '../config/load.js';
import { readRegularText } from '../util/safe-read.js';
import { resolveRelease, lineOf } from '../releases/index.js';
import type { HarborRelease } from '../releases/types.js';
import { migrateYmlText } from './yml.js';
import { maskedDiff } from './diff.js';
import { checkOutput, keepBackup, writeAtomically } from './write.js';

export interface MigrateOptions {
  cwd: string;
  configPath: string;
  to?: string;
  output?: string;
  dryRun: boolean;
  force: boolean;
  applySecrets?: boolean;
  root?: string;
}

export interface MigrateResult {
  input: string;
  inputFormat: 'yml' | 'cfg';
  output: string;
  release: HarborRelease;
  from: string;
  to: string;
  wrote: boolean;
  backup?: string;
  changes: string[];
  findings: Problem[];
  /** what the migrated file still needs before prepare accepts it (validation errors) */
  nextSteps: Problem[];
  diff?: string;
  text: string;
  /** harbor.cfg: the report's text lines */
  report?: string[];
  /** harbor.cfg: the report as data */
  reportData?: unknown;
  /** --apply-secrets: what was copied */
  secrets?: unknown;
  /** further commands to run (the CONFIG_OVERWRITE_JSON / curl lines) */
  nextCommands?: string[];
}

export async function readConfigFile(file: string): Promise<string> {
  const text = await readRegularText(file, { follow: true, what: 'the config' });
  if (text === undefined) throw new RegctlError('E_CONFIG_NOT_FOUND', `config file ${file} does not exist`, { file, exitCode: ExitCode.invalidInput, fix: 'check the path given to --config' });
  return text;
}

/** Validation of the migrated text by regctl's own loader: errors become next steps, warnings findings. */
export function validateMigrated(output: string, text: string, release: HarborRelease, root?: string): { findings: Problem[]; nextSteps: Problem[] } {
  try {
    const loaded = loadConfigText(output, text, { withTrivy: false, schemaVersion: release.schemaVersion, root });
    return { findings: loaded.problems, nextSteps: [] };
  } catch (e) {
    if (!(e instanceof RegctlError) || e.code !== 'E_CONFIG_INVALID') throw e;
    return { findings: e.problems.filter((p) => p.severity !== 'error'), nextSteps: e.problems.filter((p) => p.severity === 'error') };
  }
}

export async function runMigrate(opts: MigrateOptions): Promise<MigrateResult> {
  const input = await locateConfig(opts.cwd, opts.configPath);
  const text = await readConfigFile(input);
  const release = resolveRelease(opts.to);
  const format = detectFormat(input, text);
  if (format === 'cfg') {
    const { migrateCfg } = await import('./cfg.js');
    return migrateCfg({ ...opts, input, text, release });
  }
  if (opts.applySecrets) {
    throw new RegctlError('E_USAGE', '--apply-secrets copies the secretkey of a Harbor 1.x (secretkey_path of a harbor.cfg); a harbor.yml release keeps it in data_volume already', { exitCode: ExitCode.invalidInput, fix: 'leave out --apply-secrets for a harbor.yml' });
  }
  const output = opts.output ? path.resolve(opts.cwd, opts.output) : input;
  const upgraded = migrateYmlText(input, text, release.schemaVersion);
  // written elsewhere (--output): relative paths must still name the same files
  const moved = relocateText(upgraded.text, path.dirname(input), path.dirname(output));
  const migrated = { ...upgraded, text: moved.text, changes: [...upgraded.changes, ...(moved.relocations.length ? [relocationNote(moved.relocations, path.dirname(output))] : [])] };
  const validation = validateMigrated(output, migrated.text, release, opts.root);
  const result: MigrateResult = {
    input,
    inputFormat: 'yml',
    output,
    release,
    from: migrated.from,
    to: migrated.to,
    wrote: false,
    changes: migrated.changes,
    findings: [...migrated.problems, ...validation.findings.filter((f) => f.code !== 'W_KEY_UNKNOWN' || !migrated.problems.some((m) => m.key === f.key))],
    nextSteps: validation.nextSteps,
    text: migrated.text,
  };
  if (migrated.text === text && output === input) return result;
  if (opts.dryRun) {
    result.diff = maskedDiff(input, output, output === input ? text : '', migrated.text);
    return result;
  }
  const backup = await checkOutput(output, input, opts.force, `.${migrated.from}.bak`);
  if (backup) {
    await keepBackup(input, backup);
    result.backup = backup;
  }
  await writeAtomically(output, migrated.text);
  result.wrote = true;
  return result;
}

export function targetText(release: HarborRelease): string {
  return `Harbor ${release.version.replace(/^v/, '')} (the ${lineOf(release)} line, schema ${release.schemaVersion})`;
}
