/**
 * `regctl cert untrust`: removes exactly what the manifest says trust installed. A file changed
 * since (its hash differs) is left in place and reported; directories go only when empty; the
 * system store is refreshed again so the removed CA leaves the bundle.
 */
import { readIfExists } from '../util/fs.js';
import { promises as fs } from 'node:fs';
import { RegctlError } from '../errors.js';
import { removeEmptyDirectories } from './dirs.js';
import { removeInsecure } from './insecure.js';
import { listTrustedRegistries, readManifest, removeManifest, sha256 } from './manifest.js';
import { isRealRoot, underRoot } from '../util/root.js';
import type { RegistryRef } from './registry.js';
import { runCommand } from './run-command.js';
import type { CommandRunner, TargetName } from './types.js';

export interface UntrustResult {
  removed: string[];
  /** files regctl wrote that were changed since, left in place */
  keptChanged: string[];
  alreadyGone: string[];
  removedDirectories: string[];
  insecureEntryRemoved?: string;
  daemonJsonBackup?: string;
  targets: TargetName[];
  warnings: string[];
  commands: { argv: string[]; ok: boolean; output: string; ran: boolean }[];
}

export async function untrustRegistry(opts: { root: string; registry: RegistryRef; run?: CommandRunner; now?: Date }): Promise<UntrustResult> {
  const manifest = await readManifest(opts.root, opts.registry);
  if (!manifest) {
    const known = await listTrustedRegistries(opts.root);
    throw new RegctlError('E_UNTRUST_UNKNOWN', `there is no record of regctl trusting ${opts.registry.name}${opts.root === '/' ? '' : ` under ${opts.root}`}; nothing was removed`, {
      fix: known.length ? `registries regctl trusted here: ${known.join(', ')}` : 'regctl removes only what regctl cert trust installed; nothing is recorded here',
    });
  }
  const result: UntrustResult = { removed: [], keptChanged: [], alreadyGone: [], removedDirectories: [], targets: [], warnings: [], commands: [] };
  for (const f of manifest.files) {
    const abs = underRoot(opts.root, f.path);
    const current = await readIfExists(abs);
    if (current === undefined) result.alreadyGone.push(f.path);
    else if (sha256(current) !== f.sha256) result.keptChanged.push(f.path);
    else {
      await fs.rm(abs);
      result.removed.push(f.path);
      if (!result.targets.includes(f.target)) result.targets.push(f.target);
    }
  }
  if (manifest.insecureRegistry) {
    try {
      const r = await removeInsecure({ root: opts.root, entry: manifest.insecureRegistry.entry, created: manifest.insecureRegistry.created, now: opts.now });
      if (r.changed) {
        result.insecureEntryRemoved = manifest.insecureRegistry.entry;
        result.daemonJsonBackup = r.backup;
      }
    } catch (err) {
      if (!(err instanceof RegctlError)) throw err;
      result.warnings.push(`${err.message}; remove "${manifest.insecureRegistry.entry}" from insecure-registries by hand`);
    }
  }
  result.removedDirectories = await removeEmptyDirectories(opts.root, manifest.directories);
  for (const argv of manifest.refreshCommands) {
    if (isRealRoot(opts.root)) result.commands.push({ argv, ran: true, ...(await (opts.run ?? runCommand)(argv)) });
    else result.commands.push({ argv, ok: true, output: '', ran: false });
  }
  await removeManifest(opts.root, opts.registry);
  return result;
}
