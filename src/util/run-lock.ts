/**
 * Exclusive run locks: one regctl run at a time per install dir, per data_volume and per
 * daemon.json. Two prepares on one tree would otherwise mix their configs, roll back each other's
 * transaction, and replace a secretkey the other has just written.
 *
 * Node has no flock(2), so a lock is a file created with O_EXCL holding the holder's pid and its
 * process start time (field 22 of /proc/<pid>/stat): a holder killed with -9 is seen as gone at
 * once, and a recycled pid does not pass for the holder. Lock files live outside the trees they
 * guard (default /run/lock/regctl, a root-only 0700 directory on tmpfs, cleared at boot), named by
 * a hash of the guarded path, so nothing appears in the install tree and no container can reach them.
 * Not re-entrant, even within one process (two trust calls at once must queue too): a run that
 * already holds a lock says so to the code it calls (install tells prepare: lockHeld).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readFile, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { readRegularText } from './safe-read.js';

export const DEFAULT_LOCK_DIR = '/run/lock/regctl';
/** How long a run waits for another one to finish before it gives up (exit 1). */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

interface Holder {
  /** this acquisition (two in one process share pid and start) */
  id: string;
  pid: number;
  start: string;
  what: string;
  since: string;
}

export interface LockOptions {
  lockDir?: string;
  /** 0: fail at once when another run holds it */
  waitMs?: number;
  /** told once when the run starts waiting */
  onWait?: (message: string) => void;
}

export type ReleaseLock = () => Promise<void>;

async function processStart(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The real path of `target`, or of its nearest existing ancestor joined with the rest. */
async function canonical(target: string): Promise<string> {
  const abs = path.resolve(target);
  const rest: string[] = [];
  for (let p = abs; ; p = path.dirname(p)) {
    try {
      return path.join(await realpath(p), ...rest.reverse());
    } catch {
      if (p === path.dirname(p)) return abs;
      rest.push(path.basename(p));
    }
  }
}

/** The lock directory must be ours alone: a world-writable /run/lock must not let anyone plant links. */
async function ensureLockDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  const uid = process.getuid?.() ?? st.uid;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new RegctlError('E_LOCK_DIR_UNSAFE', `the lock directory ${dir} is not a directory owned by this user and writable only by it`, {
      fix: `remove ${dir} (regctl recreates it, mode 0700)`,
      exitCode: ExitCode.failure,
    });
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const text = await readRegularText(file, { what: 'a run lock', maxBytes: 4096 });
    return text === undefined ? undefined : (JSON.parse(text) as Holder);
  } catch {
    return undefined;
  }
}

async function holderAlive(h: Holder | undefined): Promise<boolean> {
  if (!h || !Number.isInteger(h.pid)) return false;
  return (await processStart(h.pid)) === h.start;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The holder's record in a file of its own name (O_EXCL), complete before anyone can see it. */
async function writeTemp(file: string, holder: Holder): Promise<string> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}`;
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await fh.writeFile(JSON.stringify(holder));
  } finally {
    await fh.close();
  }
  return tmp;
}

/**
 * Takes a free lock: link(2) of a complete record fails with EEXIST when the lock is held, so no
 * reader ever sees a half-written lock file (which would read as a dead holder and be taken over).
 */
async function writeNew(file: string, holder: Holder): Promise<boolean> {
  const tmp = await writeTemp(file, holder);
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

const sameHolder = (a: Holder | undefined, b: Holder) => a?.id === b.id;

/**
 * Replaces a dead holder's lock. Two runs may both see it dead: each renames its own file over it,
 * then re-reads after a pause; only the one whose content stayed holds the lock.
 */
async function takeOver(file: string, holder: Holder): Promise<boolean> {
  await rename(await writeTemp(file, holder), file);
  await sleep(50);
  return sameHolder(await readHolder(file), holder);
}

/** Locks one path (install dir, data_volume, daemon.json) for this process. */
export async function lockPath(target: string, what: string, opts: LockOptions = {}): Promise<ReleaseLock> {
  const dir = opts.lockDir ?? DEFAULT_LOCK_DIR;
  await ensureLockDir(dir);
  const real = await canonical(target);
  const file = path.join(dir, `${createHash('sha256').update(real).digest('hex').slice(0, 32)}.lock`);
  const me: Holder = { id: randomBytes(8).toString('hex'), pid: process.pid, start: (await processStart(process.pid)) ?? '', what: `${what} ${real}`, since: new Date().toISOString() };
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  let told = false;
  for (;;) {
    if (await writeNew(file, me)) break;
    const holder = await readHolder(file);
    if (!(await holderAlive(holder))) {
      if (await takeOver(file, me)) break;
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RegctlError('E_LOCKED', `another regctl run (pid ${holder!.pid}, since ${holder!.since}) holds the lock on ${real}`, {
        fix: `wait for it to finish (or check it with: ps -p ${holder!.pid} -o pid,args), then run this again`,
        exitCode: ExitCode.failure,
      });
    }
    if (!told) {
      opts.onWait?.(`waiting for regctl pid ${holder!.pid} (${holder!.what}) to finish ...`);
      told = true;
    }
    await sleep(100 + Math.floor(Math.random() * 100));
  }
  return async () => {
    if (sameHolder(await readHolder(file), me)) await unlink(file).catch(() => {});
  };
}

/** Locks several paths, always in the same order (no two runs can deadlock); releases in reverse. */
export async function lockPaths(targets: { path: string; what: string }[], opts: LockOptions = {}): Promise<ReleaseLock> {
  const unique = [...new Map(targets.map((t) => [path.resolve(t.path), t])).values()].sort((a, b) => path.resolve(a.path).localeCompare(path.resolve(b.path)));
  const releases: ReleaseLock[] = [];
  try {
    for (const t of unique) releases.push(await lockPath(t.path, t.what, opts));
  } catch (err) {
    for (const r of releases.reverse()) await r();
    throw err;
  }
  return async () => {
    for (const r of releases.reverse()) await r();
  };
}
