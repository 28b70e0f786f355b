/**
 * What the operating system said, in words an operator acts on: a full disk or a read-only
 * filesystem is not "a bug in regctl". One table, used where errors become output (output.ts).
 */
import { ExitCode, type Problem } from './errors.js';

interface SystemErrorEntry {
  code: string;
  what: string;
  fix: (path: string) => string;
  exitCode: number;
}

const SYSTEM_ERRORS: Record<string, SystemErrorEntry> = {
  ENOSPC: { code: 'E_DISK_FULL', what: 'the disk is full', fix: (p) => `free space on the filesystem of ${p} (df -h ${p}), then run again; the previous files were kept`, exitCode: ExitCode.failure },
  EDQUOT: { code: 'E_DISK_QUOTA', what: 'the disk quota is exhausted', fix: (p) => `raise the quota or free space for ${p}, then run again`, exitCode: ExitCode.failure },
  EROFS: { code: 'E_READ_ONLY_FS', what: 'the filesystem is read-only', fix: (p) => `remount it read-write (mount -o remount,rw), or point the config away from ${p} at a writable path`, exitCode: ExitCode.failure },
  ENOTDIR: { code: 'E_NOT_A_DIRECTORY', what: 'a file stands where a directory should be', fix: (p) => `a path component of ${p} is a regular file: move it away, or fix the path in the config (install dir, data_volume)`, exitCode: ExitCode.invalidInput },
  EACCES: { code: 'E_PERMISSION', what: 'permission denied', fix: (p) => `run regctl as root, or give it access to ${p}`, exitCode: ExitCode.failure },
  EPERM: { code: 'E_PERMISSION', what: 'operation not permitted', fix: (p) => `run regctl as root; if it is root, ${p} may be immutable (lsattr) or on a filesystem that refuses it`, exitCode: ExitCode.failure },
  EISDIR: { code: 'E_IS_A_DIRECTORY', what: 'a directory stands where a file should be', fix: (p) => `move ${p} away, then run again`, exitCode: ExitCode.invalidInput },
  EMFILE: { code: 'E_TOO_MANY_FILES', what: 'too many open files', fix: () => 'raise the open-file limit (ulimit -n) and run again', exitCode: ExitCode.failure },
};

/** The problem a Node system error (err.code, err.path) amounts to, or undefined when it is none of those. */
export function systemErrorProblem(err: unknown): (Problem & { exitCode: number }) | undefined {
  const e = err as NodeJS.ErrnoException;
  const entry = e && typeof e.code === 'string' ? SYSTEM_ERRORS[e.code] : undefined;
  if (!entry) return undefined;
  const p = e.path ?? (e as { dest?: string }).dest ?? '';
  const op = e.syscall ? ` (${e.syscall}${p ? ` ${p}` : ''})` : p ? ` (${p})` : '';
  return { severity: 'error', code: entry.code, message: `${entry.what}${op}`, fix: entry.fix(p || 'the target'), exitCode: entry.exitCode, ...(p ? { file: p } : {}) };
}
