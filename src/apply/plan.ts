/**
 * Compares a rendered tree with what is on disk and decides, per path, what a write would do.
 * Reads only. The result drives --dry-run, --diff and the transaction.
 */
import { statIfExists } from '../util/fs.js';
import { readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { fileKind, readRegularFile, isUnsafeFileError } from '../util/safe-read.js';
import path from 'node:path';
import type { CopiedFile, RenderedEntry, RenderedFile, TreeRoot, Ownership } from '../render/types.js';
import { RegctlError, ExitCode } from '../errors.js';

export type Change = 'create' | 'change' | 'unchanged' | 'remove';

export interface PlannedFile {
  root: TreeRoot;
  path: string;
  change: Change;
  /** new content (undefined for removals) */
  content?: Buffer;
  mode: number;
  owner: Ownership;
  secret: boolean;
  /** what is on disk now (for --diff); undefined when absent */
  current?: Buffer;
  /** only mode or owner differ */
  metadataOnly?: boolean;
  /** a link or special file is where regctl's own file belongs: it is replaced, never read */
  replacing?: string;
}

export interface PlannedDir {
  root: TreeRoot;
  path: string;
  mode: number;
  owner: Ownership;
  /** missing, or mode/owner differ */
  change: 'create' | 'change' | 'unchanged';
  /** the owner differs and the whole subtree must be chowned */
  recursiveOwner?: boolean;
}

export interface Plan {
  files: PlannedFile[];
  dirs: PlannedDir[];
  roots: Record<TreeRoot, string>;
}

/** Install-root subtrees regctl owns wholly: files there that were not rendered are removed. */
export const MANAGED_INSTALL_TREES = ['common/config'];

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

/**
 * What is at a path of regctl's own tree: its bytes, or what kind of thing sits there instead.
 * A container can plant a link (to /etc/shadow), a FIFO or a device in data_volume; none is read.
 */
async function readOwnFile(target: string, st: Stats): Promise<{ current?: Buffer; replacing?: string }> {
  if (st.isSymbolicLink()) return { replacing: 'a symbolic link' };
  if (!st.isFile()) return { replacing: fileKind(st) };
  try {
    return { current: await readRegularFile(target) };
  } catch (err) {
    // swapped between lstat and open, or far bigger than any file regctl writes
    if (isUnsafeFileError(err)) return { replacing: (err as RegctlError).code === 'E_FILE_TOO_BIG' ? 'an oversize file' : 'a link or special file' };
    throw err;
  }
}

function parentsOf(p: string): string[] {
  const parts = p.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** What the three phases share: the roots, the directories seen so far, the rendered paths. */
interface PlanningContext {
  roots: Record<TreeRoot, string>;
  canChown: boolean;
  dirs: Map<string, PlannedDir>;
  /** `root:path` of every file the render produced (removals skip these) */
  rendered: Set<string>;
}

async function addDir(ctx: PlanningContext, root: TreeRoot, rel: string, mode: number, owner: Ownership, explicit: boolean, recursive = false): Promise<void> {
  const key = `${root}:${rel}`;
  if (ctx.dirs.has(key) && !explicit) return;
  const st = await statIfExists(path.join(ctx.roots[root], rel));
  let change: PlannedDir['change'] = 'unchanged';
  if (!st) change = 'create';
  else if (!st.isDirectory()) {
    throw new RegctlError('E_NOT_A_DIRECTORY', `${path.join(ctx.roots[root], rel)} exists but is not a directory`, {
      fix: 'move the file away; regctl needs a directory there',
      exitCode: ExitCode.failure,
    });
  } else if (explicit && ((st.mode & 0o7777) !== mode || (ctx.canChown && (st.uid !== owner.uid || st.gid !== owner.gid)))) {
    change = 'change';
  }
  const ownerDiffers = Boolean(st && ctx.canChown && (st.uid !== owner.uid || st.gid !== owner.gid));
  ctx.dirs.set(key, {
    root,
    path: rel,
    mode,
    owner,
    change: explicit ? change : change === 'create' ? 'create' : 'unchanged',
    recursiveOwner: recursive && ownerDiffers ? true : undefined,
  });
}

/** Phase 1: the rendered directories, first, so implicit parents don't shadow their modes. */
async function planDirs(ctx: PlanningContext, entries: RenderedEntry[]): Promise<void> {
  for (const e of entries) if (e.kind === 'dir') await addDir(ctx, e.root, e.path, e.mode, e.owner, true, Boolean(e.recursiveOwner));
}

/** The bytes a rendered entry will have: its content, or the file it copies (an operator's path). */
async function entryContent(e: RenderedFile | CopiedFile): Promise<Buffer> {
  if (e.kind === 'file') return Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content, 'utf8');
  const unreadable = (why: string) =>
    new RegctlError('E_COPY_SOURCE', `cannot read ${e.from}: ${why}`, { fix: 'check the path in the config and that regctl may read it', exitCode: ExitCode.invalidInput });
  let read: Buffer | undefined;
  try {
    read = await readRegularFile(e.from, { follow: true, what: 'a file the config names' });
  } catch (err) {
    if (err instanceof RegctlError) throw err;
    throw unreadable((err as Error).message);
  }
  if (!read) throw unreadable('no such file');
  return read;
}

/** Phase 2: each rendered file against what is on disk (create / change / unchanged). */
async function planFile(ctx: PlanningContext, e: RenderedFile | CopiedFile): Promise<PlannedFile> {
  ctx.rendered.add(`${e.root}:${e.path}`);
  for (const parent of parentsOf(e.path)) await addDir(ctx, e.root, parent, 0o755, { uid: 0, gid: 0 }, false);
  const content = await entryContent(e);
  const target = path.join(ctx.roots[e.root], e.path);
  const st = await statIfExists(target);
  let change: Change = 'create';
  let current: Buffer | undefined;
  let metadataOnly = false;
  let replacing: string | undefined;
  if (st) {
    if (st.isDirectory()) {
      throw new RegctlError('E_IS_A_DIRECTORY', `${target} is a directory where regctl writes a file`, {
        fix: 'Docker creates a directory when a bind-mount source is missing; remove the empty directory and run again',
      });
    }
    ({ current, replacing } = await readOwnFile(target, st));
  }
  if (replacing) change = 'change';
  else if (st && current) {
    const sameContent = current.equals(content);
    const sameMeta = (st.mode & 0o7777) === e.mode && (!ctx.canChown || (st.uid === e.owner.uid && st.gid === e.owner.gid));
    change = sameContent && sameMeta ? 'unchanged' : 'change';
    metadataOnly = sameContent && !sameMeta;
  }
  return { root: e.root, path: e.path, change, content, mode: e.mode, owner: e.owner, secret: Boolean(e.secret), current, metadataOnly, ...(replacing ? { replacing } : {}) };
}

/** A file this render no longer produces, removed (its bytes kept for --diff); undefined when it is gone already. */
async function plannedRemoval(ctx: PlanningContext, root: TreeRoot, rel: string): Promise<PlannedFile | undefined> {
  const at = path.join(ctx.roots[root], rel);
  const st = await statIfExists(at);
  if (!st) return undefined;
  const { current, replacing } = await readOwnFile(at, st);
  return { root, path: rel, change: 'remove', mode: 0, owner: { uid: 0, gid: 0 }, secret: false, current, ...(replacing ? { replacing } : {}) };
}

/**
 * Phase 3: files in wholly-managed trees that this render no longer produces. 'keep' directories
 * inside a managed tree hold the operator's own files (nginx conf.d drop-ins): Harbor's prepare
 * deletes those on every run; regctl leaves them alone.
 */
async function planRemovals(ctx: PlanningContext, entries: RenderedEntry[]): Promise<PlannedFile[]> {
  const managed: { root: TreeRoot; rel: string }[] = MANAGED_INSTALL_TREES.map((rel) => ({ root: 'install' as const, rel }));
  for (const e of entries) if (e.kind === 'dir' && e.contents === 'managed') managed.push({ root: e.root, rel: e.path });
  const kept = entries.filter((e) => e.kind === 'dir' && e.contents === 'keep').map((e) => `${e.root}:${e.path}/`);
  for (const e of entries) if (e.kind === 'mountpoint') ctx.rendered.add(`${e.root}:${e.path}`);
  const seen = new Set<string>();
  const out: PlannedFile[] = [];
  for (const e of entries) {
    if (e.kind !== 'retired') continue;
    const key = `${e.root}:${e.path}`;
    if (ctx.rendered.has(key) || seen.has(key)) continue;
    const removal = await plannedRemoval(ctx, e.root, e.path);
    if (!removal) continue;
    seen.add(key);
    out.push(removal);
  }
  for (const m of managed) {
    for (const f of await listFiles(path.join(ctx.roots[m.root], m.rel))) {
      const rel = `${m.rel}/${f}`;
      const key = `${m.root}:${rel}`;
      if (ctx.rendered.has(key) || seen.has(key) || kept.some((k) => key.startsWith(k))) continue;
      seen.add(key);
      const removal = await plannedRemoval(ctx, m.root, rel);
      if (removal) out.push(removal);
    }
  }
  return out;
}

/** Rendered entries against the disk, in three phases: directories, files, removals. Reads only. */
export async function planTree(entries: RenderedEntry[], roots: Record<TreeRoot, string>): Promise<Plan> {
  const ctx: PlanningContext = { roots, canChown: process.getuid?.() === 0, dirs: new Map(), rendered: new Set() };
  await planDirs(ctx, entries);
  const files: PlannedFile[] = [];
  for (const e of entries) if (e.kind === 'file' || e.kind === 'copy') files.push(await planFile(ctx, e));
  files.push(...(await planRemovals(ctx, entries)));
  files.sort((a, b) => (a.root === b.root ? a.path.localeCompare(b.path) : a.root === 'install' ? -1 : 1));
  return { files, dirs: [...ctx.dirs.values()], roots };
}

export function planChanges(plan: Plan): PlannedFile[] {
  return plan.files.filter((f) => f.change !== 'unchanged');
}
