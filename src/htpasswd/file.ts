/**
 * An htpasswd file as a list of lines: user lines (`user:hash`) and everything else (comments,
 * blank lines) kept as they are. Read without following a link or opening a FIFO; written
 * atomically (staged beside it, fsynced, renamed) with the old file's mode and owner.
 */
import { lstat } from 'node:fs/promises';
import { writeFilesAtomically } from '../cert/files.js';
import { ExitCode, RegctlError } from '../errors.js';
import { fileKind, readRegularText } from '../util/safe-read.js';

export interface HtpasswdFile {
  path: string;
  /** false when the file does not exist yet */
  exists: boolean;
  lines: string[];
  mode: number;
  owner?: { uid: number; gid: number };
}

export const NEW_FILE_MODE = 0o644;

/** the user a line belongs to, or undefined for comments and blank lines */
export function lineUser(line: string): string | undefined {
  if (!line.trim() || line.trimStart().startsWith('#')) return undefined;
  const colon = line.indexOf(':');
  return colon > 0 ? line.slice(0, colon) : undefined;
}

export async function readHtpasswd(file: string): Promise<HtpasswdFile> {
  const st = await lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (st?.isSymbolicLink()) {
    throw new RegctlError('E_SYMLINK', `--htpasswd ${file} is a symbolic link; regctl edits the file itself, never what a link points at`, { fix: 'give the real path of the htpasswd file (readlink -f)', exitCode: ExitCode.invalidInput, file });
  }
  if (st && !st.isFile()) {
    throw new RegctlError('E_NOT_REGULAR_FILE', `--htpasswd ${file} is ${fileKind(st)}, not a regular file`, { fix: 'give the path of the htpasswd file', exitCode: ExitCode.invalidInput, file });
  }
  // the descriptor-level checks again (no race between lstat and open)
  const text = await readRegularText(file, { what: 'the htpasswd file' });
  if (text === undefined || !st) return { path: file, exists: false, lines: [], mode: NEW_FILE_MODE };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { path: file, exists: true, lines, mode: st.mode & 0o7777, owner: { uid: st.uid, gid: st.gid } };
}

export function users(f: HtpasswdFile): string[] {
  return f.lines.map(lineUser).filter((u): u is string => u !== undefined);
}

export async function writeHtpasswd(f: HtpasswdFile, lines: string[]): Promise<void> {
  const content = lines.length ? `${lines.join('\n')}\n` : '';
  await writeFilesAtomically([{ path: f.path, content, mode: f.mode, ...(f.owner ? { owner: f.owner } : {}) }]);
}
