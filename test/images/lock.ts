/**
 * A cross-process lock for test helpers (vitest runs test files in parallel workers): a directory
 * created atomically, holding the owner's pid; a lock whose owner died is taken over.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withLock<T>(lockDir: string, body: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const release = await acquireLock(lockDir, timeoutMs);
  try {
    return await body();
  } finally {
    await release();
  }
}

/** Takes the lock; resolves to the function that releases it. */
export async function acquireLock(lockDir: string, timeoutMs = 15 * 60_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await fs.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => '0'));
      if (owner && !alive(owner)) {
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (held by pid ${owner})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return async () => {
    await fs.rm(lockDir, { recursive: true, force: true });
  };
}
