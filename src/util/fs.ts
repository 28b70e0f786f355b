/**
 * The one place that decides what "absent" means: ENOENT only. Every other error (EACCES, EIO,
 * ENOTDIR...) propagates, so a file regctl cannot read is never mistaken for a missing one.
 */
import { chmod, lstat, mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** true when something (file, directory, symlink) is at p */
export async function pathExists(p: string): Promise<boolean> {
  return (await statIfExists(p)) !== undefined;
}

/**
 * lstat of p (a link is not followed), or undefined when nothing is there. `follow` stats what a
 * link points at: only for paths the user typed (--ca DIR), never for files inside a tree.
 */
export async function statIfExists(p: string, opts: { follow?: boolean } = {}): Promise<Stats | undefined> {
  try {
    return opts.follow ? await stat(p) : await lstat(p);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(p: string): Promise<Buffer | undefined>;
export async function readIfExists(p: string, encoding: 'utf8'): Promise<string | undefined>;
export async function readIfExists(p: string, encoding?: 'utf8'): Promise<Buffer | string | undefined> {
  try {
    return encoding ? await readFile(p, encoding) : await readFile(p);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/**
 * mkdir -p that reports the real reason: Node's recursive mkdir says ENOENT on a read-only
 * filesystem (and where a file blocks the path); retrying the first missing component without
 * `recursive` surfaces EROFS, ENOTDIR or EACCES instead.
 */
export async function makeDirs(dir: string, mode = 0o755): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode });
  } catch (err) {
    if (!isMissing(err)) throw err;
    let first = path.resolve(dir);
    while (path.dirname(first) !== first && !(await statIfExists(path.dirname(first)).catch(() => undefined))) first = path.dirname(first);
    await mkdir(first, { mode }); // throws the real error
    throw err;
  }
}

/**
 * Writes a file and fsyncs it before returning, with exactly `mode` whatever the umask (created
 * with it, so a key is never readable by others, not even briefly). 'wx' refuses an existing file.
 */
export async function writeDurable(file: string, content: Buffer | string, mode: number, flag: 'w' | 'wx' = 'w'): Promise<void> {
  const fh = await open(file, flag, mode);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(file, mode);
}
