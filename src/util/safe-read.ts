/**
 * Reading files as root on a host shared with containers. data_volume/secret/cert is owned by
 * uid 10000 and mounted read-write into the proxy container, so whatever runs there can replace a
 * file regctl reads with a symlink to /etc/shadow, a FIFO (a read that never returns) or a link to
 * /dev/zero (a read that never ends). Every read therefore:
 *  - opens with O_NONBLOCK (opening a FIFO does not wait for a writer) and, for files in trees
 *    regctl owns, O_NOFOLLOW (a link is refused, never followed);
 *  - checks with fstat on the opened descriptor that it is a regular file (no race with a swap);
 *  - refuses a file over a size cap before reading it.
 * Operator-named files (--config, --ca, https.certificate) may be links; they still must end at
 * a regular file under the cap.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ExitCode, RegctlError } from '../errors.js';

/** Configs, certificates, keys, env files: none is anywhere near this. */
export const MAX_TEXT_FILE = 4 * 1024 * 1024;

export interface SafeReadOptions {
  /** follow a symbolic link in the last component (operator-named files); default false */
  follow?: boolean;
  /** default MAX_TEXT_FILE */
  maxBytes?: number;
  /** what the file is, for messages ("the config", "the server certificate copy") */
  what?: string;
}

/** What a non-regular file is, for messages ('a FIFO', 'a directory', ...). */
export function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Whether this is the kind of error readRegularFile raises for a link, special file or oversize file. */
export function isUnsafeFileError(err: unknown): boolean {
  return err instanceof RegctlError && ['E_SYMLINK', 'E_NOT_REGULAR_FILE', 'E_FILE_TOO_BIG'].includes(err.code);
}

/**
 * The file's bytes, or undefined when it does not exist. Refuses links (unless follow), special
 * files and oversize files. The read itself is synchronous: files under the cap are small, and one
 * implementation keeps the two entry points from drifting apart.
 */
export async function readRegularFile(file: string, opts: SafeReadOptions = {}): Promise<Buffer | undefined> {
  return readRegularFileSync(file, opts);
}

/** readRegularFile for synchronous callers (validation reads the certificate and key in a synchronous pass). */
export function readRegularFileSync(file: string, opts: SafeReadOptions = {}): Buffer | undefined {
  const what = opts.what ?? file;
  const max = opts.maxBytes ?? MAX_TEXT_FILE;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (opts.follow ? 0 : constants.O_NOFOLLOW));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw linkError(file, what);
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw specialError(file, what, st);
    if (st.size > max) throw tooBigError(file, what, st.size, max);
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
      if (n >= buf.length) break;
    }
    if (n > max) throw tooBigError(file, what, n, max);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function linkError(file: string, what: string): RegctlError {
  return new RegctlError('E_SYMLINK', `${what} (${file}) is a symbolic link; regctl does not follow links where it expects a file of its own`, {
    fix: `remove the link (rm ${file}); regctl writes the file again on its next run`,
    exitCode: ExitCode.invalidInput,
    file,
  });
}

function specialError(file: string, what: string, st: Stats): RegctlError {
  return new RegctlError('E_NOT_REGULAR_FILE', `${what} (${file}) is ${fileKind(st)}, not a regular file; it was not read`, {
    fix: `replace it with a regular file (or remove it: rm ${file})`,
    exitCode: ExitCode.invalidInput,
    file,
  });
}

function tooBigError(file: string, what: string, size: number, max: number): RegctlError {
  return new RegctlError('E_FILE_TOO_BIG', `${what} (${file}) is ${size} bytes or more; regctl reads at most ${max} here`, {
    fix: 'point regctl at the right file: a config, certificate or key is a few KiB',
    exitCode: ExitCode.invalidInput,
    file,
  });
}

export async function readRegularText(file: string, opts: SafeReadOptions = {}): Promise<string | undefined> {
  return (await readRegularFile(file, opts))?.toString('utf8');
}
