/**
 * What an install dir was rendered for: the Harbor release and the optional components. prepare
 * writes it with the tree; status, down and later commands read it instead of assuming the
 * newest release, and prepare/install keep to it unless --harbor-version says otherwise.
 */
import path from 'node:path';
import { readRegularText } from '../util/safe-read.js';
import { RegctlError, ExitCode } from '../errors.js';

/** under common/config: a tree regctl wholly manages, rewritten by every prepare */
export const INSTALLATION_RECORD = 'common/config/regctl/installation.json';

export interface InstallationRecord {
  /** 'v2.8.6' */
  harborVersion: string;
  withTrivy: boolean;
  withNotary: boolean;
}

function isRecord(v: unknown): v is InstallationRecord {
  const r = v as Partial<InstallationRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.harborVersion === 'string' && /^v\d+\.\d+\.\d+$/.test(r.harborVersion) && typeof r.withTrivy === 'boolean' && typeof r.withNotary === 'boolean';
}

export function formatInstallationRecord(record: InstallationRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** The record in a (real, --root applied) install dir, or undefined when none was written yet. */
export async function readInstallationRecord(installDir: string): Promise<InstallationRecord | undefined> {
  const file = path.join(installDir, INSTALLATION_RECORD);
  const text = await readRegularText(file, { what: "regctl's installation record" });
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw new RegctlError('E_INSTALLATION_RECORD', `${file} is not a record regctl wrote (damaged or edited)`, {
      file,
      exitCode: ExitCode.invalidInput,
      fix: 'run regctl prepare with --harbor-version set to the release this install runs; it rewrites the record',
    });
  }
  return { harborVersion: parsed.harborVersion, withTrivy: parsed.withTrivy, withNotary: parsed.withNotary };
}
