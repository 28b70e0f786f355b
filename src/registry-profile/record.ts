/**
 * The registry profile's installation record, at the same path as Harbor's
 * (common/config/regctl/installation.json) with `profile: "registry"`: status, down and logs read
 * it first, so they work on a registry install dir without flags.
 */
import path from 'node:path';
import { readRegularText } from '../util/safe-read.js';
import { INSTALLATION_RECORD } from '../installation/record.js';

export interface RegistryRecord {
  profile: 'registry';
  /** registry.yml the install dir was rendered from */
  config: string;
  hostname: string;
  port: number;
  tls: boolean;
  image: string;
  /** the server certificate on the host (status shows its days left) */
  certificate?: string;
}

export function formatRegistryRecord(r: RegistryRecord): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** The record when the install dir holds the registry profile; undefined for Harbor or nothing. */
export async function readRegistryRecord(installDir: string): Promise<RegistryRecord | undefined> {
  const text = await readRegularText(path.join(installDir, INSTALLATION_RECORD), { what: "regctl's installation record" }).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as Partial<RegistryRecord>;
    if (r?.profile === 'registry' && typeof r.config === 'string' && typeof r.hostname === 'string' && Number.isInteger(r.port) && typeof r.tls === 'boolean' && typeof r.image === 'string') return r as RegistryRecord;
  } catch {
    // not JSON: Harbor's reader reports a damaged record with its fix
  }
  return undefined;
}
