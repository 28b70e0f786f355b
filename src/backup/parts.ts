/**
 * The files of a backup: copied in without following links (a link or special file in
 * data_volume/secret or the install tree is skipped and named), streamed so a registry blob or a
 * database dump of any size is never held in memory, and hashed while they are written. Every
 * file in the backup is 0600 and owned by whoever runs regctl (root); the original mode and
 * owner are kept in the manifest and put back by restore.
 */
import { createHash } from 'node:crypto';
import { constants, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';

export interface BackupPart {
  /** relative to the backup dir, '/'-separated */
  path: string;
  size: number;
  sha256: string;
  /** where it came from and goes back to: the original mode, uid and gid */
  mode: number;
  uid: number;
  gid: number;
}

/** a directory of a copied tree, so restore gives it back its mode and owner */
export interface BackupDir {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** a Transform that counts and hashes what passes through */
export function hashingTap(): { tap: Transform; result: () => { size: number; sha256: string } } {
  const h = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  return { tap, result: () => ({ size, sha256: h.digest('hex') }) };
}

/** Writes a stream to `file` (0600, must not exist), returning its size and sha256. */
export async function writeStream(source: Readable, file: string): Promise<{ size: number; sha256: string }> {
  const { tap, result } = hashingTap();
  const out = createWriteStream(file, { flags: 'wx', mode: FILE_MODE });
  await pipeline(source, tap, out);
  return result();
}

/**
 * Opens a regular file without following a link (O_NOFOLLOW) or waiting on a FIFO (O_NONBLOCK);
 * undefined when it is missing, a link or not a regular file.
 */
export async function openRegular(file: string): Promise<fs.FileHandle | undefined> {
  const fh = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP' || err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!fh) return undefined;
  if (!(await fh.stat()).isFile()) {
    await fh.close();
    return undefined;
  }
  return fh;
}

/** size and sha256 of a regular file, streamed; undefined for a link or special file */
export async function hashFile(file: string): Promise<{ size: number; sha256: string } | undefined> {
  const fh = await openRegular(file);
  if (!fh) return undefined;
  const { tap, result } = hashingTap();
  await pipeline(fh.createReadStream(), tap, async function* (src) {
    for await (const _ of src) void _;
  });
  return result();
}

/**
 * Copies the tree at `from` into `<backupDir>/<rel>`. Returns the parts and the entries that were
 * skipped because they are links or special files (named in the manifest's notes).
 */
export interface CopiedTree {
  parts: BackupPart[];
  dirs: BackupDir[];
  skipped: string[];
}

export async function copyTreeIn(from: string, backupDir: string, rel: string, skip: (name: string) => boolean = () => false): Promise<CopiedTree> {
  const parts: BackupPart[] = [];
  const dirs: BackupDir[] = [];
  const skipped: string[] = [];
  const walk = async (src: string, dstRel: string): Promise<void> => {
    const st = await fs.lstat(src);
    dirs.push({ path: dstRel, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
    await fs.mkdir(path.join(backupDir, dstRel), { recursive: true, mode: DIR_MODE });
    const entries = (await fs.readdir(src, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const s = path.join(src, e.name);
      const r = `${dstRel}/${e.name}`;
      if (skip(r)) continue;
      if (e.isDirectory()) await walk(s, r);
      else if (e.isFile()) {
        const part = await copyFileIn(s, backupDir, r);
        if (part) parts.push(part);
        else skipped.push(s);
      } else skipped.push(s);
    }
  };
  await walk(from, rel);
  return { parts, dirs, skipped };
}

/** One regular file into the backup; undefined when `src` is a link or special file. */
export async function copyFileIn(src: string, backupDir: string, rel: string): Promise<BackupPart | undefined> {
  const fh = await openRegular(src);
  if (!fh) return undefined;
  const st = await fh.stat();
  await fs.mkdir(path.dirname(path.join(backupDir, rel)), { recursive: true, mode: DIR_MODE });
  const { size, sha256 } = await writeStream(fh.createReadStream(), path.join(backupDir, rel));
  return { path: rel, size, sha256, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

/** A read stream of a backup part that refuses a link (the backup dir may have been tampered with). */
export async function readPart(backupDir: string, rel: string): Promise<Readable | undefined> {
  const fh = await openRegular(path.join(backupDir, rel));
  return fh ? fh.createReadStream() : undefined;
}

