/**
 * The suite's one temp-dir helper: every test directory is made here (under os.tmpdir(), or under
 * `parent`) and removed without the test file having to remember it.
 *
 * - tempDir / tempDirSync: removed when the test that made it finishes (onTestFinished); made
 *   outside a test (at collection time, in beforeAll), removed after the test file (afterAll).
 * - unmanagedTempDirSync: for helpers that remove the directory themselves (a try/finally around
 *   one run, a workspace with its own cleanup()); nothing is registered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempDirOptions {
  /** the directory to make it in; os.tmpdir() unless given */
  parent?: string;
}

/** Directories made outside a test, removed once the test file has run. */
const fileScoped = new Set<string>();
/**
 * vitest, when this runs inside it: importing 'vitest' elsewhere throws (test/images/build-cli.ts
 * runs under plain vite-node and reaches unmanagedTempDir through image-set.ts).
 */
const vitest = await import('vitest').catch(() => undefined);
vitest?.afterAll(async () => {
  const dirs = [...fileScoped];
  fileScoped.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function template(prefix: string, opts: TempDirOptions): string {
  return path.join(opts.parent ?? os.tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`);
}

function register(dir: string): string {
  if (!vitest) throw new Error(`tempDir() outside a vitest run: use unmanagedTempDir (${dir} is left to the caller)`);
  try {
    vitest.onTestFinished(() => rm(dir, { recursive: true, force: true }));
  } catch {
    // not inside a test: the directory outlives it, to the end of the file
    fileScoped.add(dir);
  }
  return dir;
}

/** A fresh directory named `<prefix>-XXXXXX`, removed after the test (or the file) that made it. */
export async function tempDir(prefix = 'regctl-test', opts: TempDirOptions = {}): Promise<string> {
  return register(await mkdtemp(template(prefix, opts)));
}

/** tempDir, synchronously: for describe-level constants and synchronous fixtures. */
export function tempDirSync(prefix = 'regctl-test', opts: TempDirOptions = {}): string {
  return register(mkdtempSync(template(prefix, opts)));
}

/** A fresh directory the caller removes itself (nothing registered). */
export function unmanagedTempDirSync(prefix = 'regctl-test', opts: TempDirOptions = {}): string {
  return mkdtempSync(template(prefix, opts));
}

/** unmanagedTempDirSync, asynchronously. */
export async function unmanagedTempDir(prefix = 'regctl-test', opts: TempDirOptions = {}): Promise<string> {
  return mkdtemp(template(prefix, opts));
}

/** Removes a directory made by unmanagedTempDirSync. */
export function removeTempDirSync(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
