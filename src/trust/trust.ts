/**
 * `regctl cert trust --ca`: plans every target, refuses before writing anything when a file it
 * would replace is not its own, writes all files together, records them in the manifest, and runs
 * the system store's refresh command when the root is the real one.
 */
import { readIfExists } from '../util/fs.js';
import { promises as fs } from 'node:fs';
import { RegctlError } from '../errors.js';
import { writeFilesAtomically } from '../cert/files.js';
import { missingDirectories, removeEmptyDirectories } from './dirs.js';
import { emptyManifest, readManifest, sha256, TrustManifest, writeManifest } from './manifest.js';
import { isRealRoot, underRoot } from '../util/root.js';
import type { RegistryRef } from './registry.js';
import { runCommand } from './run-command.js';
import { TRUST_TARGETS } from './targets/index.js';
import type { CommandRunner, PlannedFile, TargetName, TargetPlan } from './types.js';

export interface TrustOptions {
  root: string;
  registry: RegistryRef;
  /** PEM of the CA certificate(s) only */
  caPem: string;
  targets: TargetName[];
  /** true when the user chose the targets: a missing system store is then an error, not a skip */
  explicitTargets: boolean;
  run?: CommandRunner;
  now?: Date;
}

export interface TrustResult {
  plans: TargetPlan[];
  written: string[];
  unchanged: string[];
  /** identical files regctl did not write: left alone, also by untrust */
  foreign: string[];
  skipped: { target: TargetName; reason: string }[];
  commands: { argv: string[]; ok: boolean; output: string; ran: boolean }[];
}

type Action = { file: PlannedFile; target: TargetName; kind: 'create' | 'replace' | 'unchanged' | 'foreign' };

export async function trustRegistry(opts: TrustOptions): Promise<TrustResult> {
  const now = opts.now ?? new Date();
  const req = { registry: opts.registry, caPem: opts.caPem, root: opts.root };
  const plans: TargetPlan[] = [];
  const skipped: TrustResult['skipped'] = [];
  for (const name of opts.targets) {
    try {
      plans.push(await TRUST_TARGETS[name].plan(req));
    } catch (err) {
      if (opts.explicitTargets || !(err instanceof RegctlError)) throw err;
      skipped.push({ target: name, reason: err.message });
    }
  }

  const manifest = (await readManifest(opts.root, opts.registry)) ?? emptyManifest(opts.registry);
  const actions = await decide(opts.root, plans, manifest);
  const toWrite = actions.filter((a) => a.kind === 'create' || a.kind === 'replace');
  const newDirs: string[] = [];
  for (const a of toWrite) {
    for (const d of await missingDirectories(opts.root, a.file.path)) if (!newDirs.includes(d)) newDirs.push(d);
  }

  const next: TrustManifest = {
    ...manifest,
    files: [
      ...manifest.files.filter((f) => !actions.some((a) => a.file.path === f.path && a.kind !== 'foreign')),
      ...actions.filter((a) => a.kind !== 'foreign').map((a) => ({ path: a.file.path, sha256: sha256(a.file.content), target: a.target })),
    ],
    directories: [...manifest.directories, ...newDirs.filter((d) => !manifest.directories.includes(d))],
    refreshCommands: uniqueCommands([...manifest.refreshCommands, ...plans.flatMap((p) => (p.refreshCommand ? [p.refreshCommand] : []))]),
  };
  try {
    await writeFilesAtomically(toWrite.map((a) => ({ ...a.file, path: underRoot(opts.root, a.file.path) })));
    await writeManifest(opts.root, opts.registry, next, now);
  } catch (err) {
    for (const a of toWrite.filter((x) => x.kind === 'create')) await fs.rm(underRoot(opts.root, a.file.path), { force: true });
    await removeEmptyDirectories(opts.root, newDirs);
    throw err;
  }

  const commands: TrustResult['commands'] = [];
  for (const plan of plans) {
    if (!plan.refreshCommand) continue;
    const changed = toWrite.some((a) => a.target === plan.target);
    if (!isRealRoot(opts.root)) {
      commands.push({ argv: plan.refreshCommand, ok: true, output: '', ran: false });
    } else if (changed) {
      commands.push({ argv: plan.refreshCommand, ran: true, ...(await (opts.run ?? runCommand)(plan.refreshCommand)) });
    }
  }
  const pick = (kinds: Action['kind'][]) => actions.filter((a) => kinds.includes(a.kind)).map((a) => a.file.path);
  return { plans, written: pick(['create', 'replace']), unchanged: pick(['unchanged']), foreign: pick(['foreign']), skipped, commands };
}

/** What to do with each planned file; throws, before anything is written, on files that are not ours. */
async function decide(root: string, plans: TargetPlan[], manifest: TrustManifest): Promise<Action[]> {
  const actions: Action[] = [];
  const conflicts: string[] = [];
  for (const plan of plans) {
    for (const file of plan.files) {
      const current = await readIfExists(underRoot(root, file.path), 'utf8');
      const recorded = manifest.files.find((f) => f.path === file.path);
      let kind: Action['kind'];
      if (current === undefined) kind = 'create';
      else if (current === file.content) kind = recorded ? 'unchanged' : 'foreign';
      else if (recorded && recorded.sha256 === sha256(current)) kind = 'replace';
      else {
        conflicts.push(file.path);
        continue;
      }
      actions.push({ file, target: plan.target, kind });
    }
  }
  if (conflicts.length) {
    throw new RegctlError('E_TRUST_CONFLICT', `${conflicts.length === 1 ? 'a file' : 'files'} regctl did not write already exist${conflicts.length === 1 ? 's' : ''} with different content: ${conflicts.map((c) => underRoot(root, c)).join(', ')}; nothing was written`, {
      fix: 'look at what is there (another CA for this registry?); move it away if it is obsolete, then run the command again',
      file: underRoot(root, conflicts[0]!),
    });
  }
  return actions;
}

function uniqueCommands(cmds: string[][]): string[][] {
  const seen = new Set<string>();
  return cmds.filter((c) => {
    const k = c.join('\0');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
