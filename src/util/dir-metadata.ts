/**
 * Mode and owner changes on directories that containers can write into (data_volume is mounted
 * read-write, uid 10000 owns parts of it). chmod(2)/chown(2) on a path follow a link, so a
 * container that swaps a directory for a link to /etc between plan and apply would hand /etc to
 * uid 10000. Here every change goes through a descriptor opened with O_NOFOLLOW|O_DIRECTORY, and
 * a subtree is walked through /proc/self/fd/N (openat(2) semantics, which Node lacks): a link
 * planted anywhere in the walk is changed itself (lchown) and never entered.
 */
import { constants } from 'node:fs';
import { lchown, open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const DIRECTORY_NOFOLLOW = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

export interface DirectoryMetadata {
  mode: number;
  uid: number;
  gid: number;
}

async function openDirectory(dir: string): Promise<FileHandle> {
  return open(dir, DIRECTORY_NOFOLLOW);
}

/** mode and owner of a directory, read from the directory itself (ELOOP/ENOTDIR on a link) */
export async function readDirectoryMetadata(dir: string): Promise<DirectoryMetadata> {
  const fh = await openDirectory(dir);
  try {
    const st = await fh.stat();
    return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } finally {
    await fh.close();
  }
}

/** chmod, and chown when `owner` is given, through the directory's own descriptor */
export async function setDirectoryMetadata(dir: string, mode: number, owner?: { uid: number; gid: number }): Promise<void> {
  const fh = await openDirectory(dir);
  try {
    await fh.chmod(mode);
    if (owner) await fh.chown(owner.uid, owner.gid);
  } finally {
    await fh.close();
  }
}

/** chown -R below dir (dir itself excluded) without following any link on the way */
export async function chownTreeNoFollow(dir: string, uid: number, gid: number): Promise<void> {
  const fh = await openDirectory(dir);
  try {
    await chownEntries(fh, uid, gid);
  } finally {
    await fh.close();
  }
}

async function chownEntries(parent: FileHandle, uid: number, gid: number): Promise<void> {
  const base = `/proc/self/fd/${parent.fd}`;
  for (const e of await readdir(base, { withFileTypes: true })) {
    const entry = path.join(base, e.name);
    if (!e.isDirectory()) {
      await lchown(entry, uid, gid); // a link is re-owned itself, its target untouched
      continue;
    }
    let child: FileHandle;
    try {
      child = await openDirectory(entry);
    } catch (err) {
      // became a link or a file since readdir: change the entry itself only
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'ENOTDIR') {
        await lchown(entry, uid, gid);
        continue;
      }
      if (code === 'ENOENT') continue;
      throw err;
    }
    try {
      await child.chown(uid, gid);
      await chownEntries(child, uid, gid);
    } finally {
      await child.close();
    }
  }
}
