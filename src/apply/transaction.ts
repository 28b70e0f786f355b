/**
 * Applies a Plan atomically enough that a failure never leaves a half-new tree behind:
 *  1. every new file is written and fsynced into a staging directory on the same filesystem;
 *  2. a journal listing every rename is written (the commit point);
 *  3. the renames run (old files move into the staging dir as backups);
 *  4. the journal and staging dirs are removed.
 * An error in step 3 rolls back in-process. A kill -9 in step 3 leaves the journal; the next
 * regctl run calls recoverInterruptedApply() first, which puts every old file back. A failure
 * before step 2 leaves only a staging dir, which is ignored and cleaned up.
 */
import { chown, mkdir, readFile, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { chownTreeNoFollow, readDirectoryMetadata, setDirectoryMetadata } from '../util/dir-metadata.js';
import { randomBytes } from 'node:crypto';
import { makeDirs, pathExists as exists, writeDurable } from '../util/fs.js';
import path from 'node:path';
import type { Plan, PlannedDir, PlannedFile } from './plan.js';
import { planChanges } from './plan.js';
import type { TreeRoot } from '../render/types.js';
import { RegctlError } from '../errors.js';

export const STATE_DIR = '.regctl';
export const STAGING_DIR = '.regctl-staging';
const JOURNAL = 'journal.json';

interface FileOp {
  kind: 'put' | 'remove';
  root: TreeRoot;
  path: string;
  staged?: string;
  backup: string;
  existed: boolean;
}

interface DirOp {
  root: TreeRoot;
  path: string;
  existed: boolean;
  old?: { mode: number; uid: number; gid: number };
  mode: number;
  uid: number;
  gid: number;
  recursiveOwner?: boolean;
}

interface Journal {
  txid: string;
  roots: Record<TreeRoot, string>;
  staging: Partial<Record<TreeRoot, string>>;
  dirs: DirOp[];
  files: FileOp[];
}

/** Test hook: 'throw-after-renames:N', 'kill-after-renames:N', 'throw-after-stage', 'kill-after-stage' or 'slow-renames:MS'. */
export type FaultInjection = string | undefined;

const canChown = () => typeof process.getuid === 'function' && process.getuid() === 0;



export function journalPath(installRoot: string): string {
  return path.join(installRoot, STATE_DIR, JOURNAL);
}

export interface ApplyResult {
  wrote: boolean;
  changed: number;
}

export async function applyPlan(plan: Plan, opts: { fault?: FaultInjection } = {}): Promise<ApplyResult> {
  const changes = planChanges(plan);
  const dirChanges = plan.dirs.filter((d) => d.change !== 'unchanged');
  if (changes.length === 0 && dirChanges.length === 0) return { wrote: false, changed: 0 };
  const journal = await stage(plan, changes, dirChanges, opts.fault);

  // 2. commit point
  const jp = journalPath(plan.roots.install);
  await mkdir(path.dirname(jp), { recursive: true, mode: 0o700 });
  await writeDurable(`${jp}.tmp`, JSON.stringify(journal), 0o600);
  await rename(`${jp}.tmp`, jp);

  await swap(plan, journal, opts.fault);

  // 4. done
  await unlink(jp);
  await rmdir(path.dirname(jp)).catch(() => undefined); // leave no empty state dir in the install tree
  await cleanupStaging(journal);
  await removeEmptiedDirs(journal, plan);
  return { wrote: true, changed: changes.length };
}

/** 1. Every new file written and fsynced into a private staging dir; the journal's entries. A failure removes the staging dir. */
async function stage(plan: Plan, changes: PlannedFile[], dirChanges: PlannedDir[], fault: FaultInjection): Promise<Journal> {
  const txid = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const journal: Journal = { txid, roots: plan.roots, staging: {}, dirs: [], files: [] };
  const stagingOf = async (root: TreeRoot) => {
    let s = journal.staging[root];
    if (!s) {
      // the root itself (data_volume, install dir) must stay traversable for uid 10000 in the
      // containers: only the staging dir below it is private
      await makeDirs(plan.roots[root], 0o755);
      s = path.join(plan.roots[root], STAGING_DIR, txid);
      await makeDirs(s, 0o700);
      journal.staging[root] = s;
    }
    return s;
  };

  try {
    // 1. stage
    for (const f of changes) {
      const staging = await stagingOf(f.root);
      const backup = path.join(staging, 'old', f.path);
      if (f.change === 'remove') {
        journal.files.push({ kind: 'remove', root: f.root, path: f.path, backup, existed: true });
        continue;
      }
      const staged = path.join(staging, 'new', f.path);
      await mkdir(path.dirname(staged), { recursive: true, mode: 0o700 });
      await writeDurable(staged, f.content ?? Buffer.alloc(0), f.mode);
      if (canChown()) await chown(staged, f.owner.uid, f.owner.gid);
      journal.files.push({ kind: 'put', root: f.root, path: f.path, staged, backup, existed: f.change === 'change' });
    }
    for (const d of [...dirChanges].sort((a, b) => a.path.split('/').length - b.path.split('/').length)) {
      const target = path.join(plan.roots[d.root], d.path);
      const op: DirOp = { root: d.root, path: d.path, existed: d.change === 'change', mode: d.mode, uid: d.owner.uid, gid: d.owner.gid, recursiveOwner: d.recursiveOwner };
      if (op.existed) op.old = await readDirectoryMetadata(target);
      journal.dirs.push(op);
    }
    if (fault === 'throw-after-stage') throw new Error('injected fault after staging');
    // before the commit point: a kill here leaves only the staging dir (secrets inside)
    if (fault === 'kill-after-stage') process.kill(process.pid, 'SIGKILL');
  } catch (err) {
    await cleanupStaging(journal);
    throw err;
  }

  return journal;
}

/** 3. The renames (old files become backups in the staging dir); any error rolls the whole tree back. */
async function swap(plan: Plan, journal: Journal, fault: FaultInjection): Promise<void> {
  // 3. swap
  const killAfter = /^kill-after-renames:(\d+)$/.exec(fault ?? '');
  const throwAfter = /^throw-after-renames:(\d+)$/.exec(fault ?? '');
  // bench/kill-loop widens the swap so random kills land inside it
  const slow = /^slow-renames:(\d+)$/.exec(fault ?? '');
  let renames = 0;
  const tick = () => {
    renames++;
    if (slow) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(slow[1]));
    if (killAfter && renames === Number(killAfter[1])) process.kill(process.pid, 'SIGKILL');
    if (throwAfter && renames === Number(throwAfter[1])) throw new Error(`injected fault after ${renames} renames`);
  };
  try {
    for (const d of journal.dirs) {
      const target = path.join(plan.roots[d.root], d.path);
      await mkdir(target, { recursive: true });
      await setDirectoryMetadata(target, d.mode, canChown() ? { uid: d.uid, gid: d.gid } : undefined);
      // not undone by a rollback: ownership carries no data, and Harbor's prepare does the same
      if (canChown() && d.recursiveOwner) await chownTreeNoFollow(target, d.uid, d.gid);
    }
    for (const op of journal.files) {
      const target = path.join(plan.roots[op.root], op.path);
      if (op.existed) {
        await mkdir(path.dirname(op.backup), { recursive: true, mode: 0o700 });
        await rename(target, op.backup);
        tick();
      }
      if (op.kind === 'put' && op.staged) {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(op.staged, target);
        tick();
      }
    }
  } catch (err) {
    await rollback(journal);
    throw new RegctlError('E_APPLY_FAILED', `writing the new tree failed and was rolled back: ${(err as Error).message}`, {
      fix: 'the previous files are back in place; fix the cause (disk space, permissions) and run again',
      cause: err,
    });
  }

}

async function cleanupStaging(journal: Journal): Promise<void> {
  for (const [root, s] of Object.entries(journal.staging)) {
    if (!s) continue;
    await rm(s, { recursive: true, force: true });
    // remove the staging parent when empty
    await rmdir(path.join(journal.roots[root as TreeRoot], STAGING_DIR)).catch(() => undefined);
  }
}

/**
 * After the commit: directories a removal left empty (common/config/trivy-adapter/ once trivy is
 * off) go too, up to the tree root. rmdir(2) refuses a non-empty directory, so an operator's file
 * keeps its directory; directories the plan holds (rendered, or parents of rendered files) stay.
 */
async function removeEmptiedDirs(journal: Journal, plan: Plan): Promise<void> {
  const rendered = new Set(plan.dirs.map((d) => `${d.root}:${d.path}`));
  for (const op of journal.files) {
    if (op.kind !== 'remove') continue;
    for (let rel = path.posix.dirname(op.path); rel !== '.' && !rendered.has(`${op.root}:${rel}`); rel = path.posix.dirname(rel)) {
      if (!(await rmdir(path.join(journal.roots[op.root], rel)).then(() => true, () => false))) break;
    }
  }
}

/** Puts every old file back; idempotent, so a crash during rollback is repaired by running it again. */
async function rollback(journal: Journal): Promise<void> {
  for (const op of [...journal.files].reverse()) {
    const target = path.join(journal.roots[op.root], op.path);
    if (await exists(op.backup)) {
      await rename(op.backup, target);
    } else if (op.kind === 'put' && !op.existed && op.staged && !(await exists(op.staged)) && (await exists(target))) {
      await unlink(target);
    }
  }
  for (const d of [...journal.dirs].reverse()) {
    const target = path.join(journal.roots[d.root], d.path);
    if (!d.existed) await rmdir(target).catch(() => undefined);
    else if (d.old) await setDirectoryMetadata(target, d.old.mode, canChown() ? d.old : undefined).catch(() => undefined);
  }
  const jp = journalPath(journal.roots.install);
  await unlink(jp).catch(() => undefined);
  await rmdir(path.dirname(jp)).catch(() => undefined); // no empty .regctl/ left by a rollback
  await cleanupStaging(journal);
}

/**
 * Rolls back an apply that was killed mid-swap. Returns true when one was found. Call before
 * planning anything in an install dir.
 */
export async function recoverInterruptedApply(installRoot: string, dataRoot?: string): Promise<boolean> {
  const jp = journalPath(installRoot);
  let text: string;
  try {
    text = await readFile(jp, 'utf8');
  } catch {
    return false;
  }
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    // the journal is renamed into place whole, so an unreadable one was never committed
    await unlink(jp);
    return false;
  }
  // a journal names the roots it was written for; an install dir moved or copied mid-write would
  // have its recovery act on the old location, so it is refused instead
  const moved = journal.roots.install !== installRoot || (dataRoot !== undefined && journal.roots.data !== dataRoot);
  if (moved) {
    throw new RegctlError('E_JOURNAL_ROOTS', `${jp} records an interrupted write to ${journal.roots.install} and ${journal.roots.data}, not to ${installRoot} and ${dataRoot ?? journal.roots.data}: the tree was moved or copied mid-write`, {
      fix: `run regctl prepare once on the original location to roll it back, or, if that is gone, remove ${jp} and the .regctl-staging directories and check the tree`,
    });
  }
  await rollback(journal);
  return true;
}

/**
 * Staging directories no journal needs any more (a run killed before its commit point, or during
 * cleanup): they hold env files with passwords and server.key copies, so they go. Called under
 * the run lock, after recovery, when nothing else can be writing.
 */
export async function removeStaleStaging(roots: Record<TreeRoot, string>): Promise<number> {
  let removed = 0;
  for (const root of Object.values(roots)) {
    const dir = path.join(root, STAGING_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      await rm(path.join(dir, n), { recursive: true, force: true });
      removed++;
    }
    await rmdir(dir).catch(() => undefined);
  }
  return removed;
}

export async function hasInterruptedApply(installRoot: string): Promise<boolean> {
  return exists(journalPath(installRoot));
}

/** Writes a file atomically on its own (used for small state files outside a plan). */
export async function writeFileAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(tmp, content, { mode });
  await rename(tmp, file);
}
