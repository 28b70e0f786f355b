/** Runs the built CLI (bin/regctl → dist/) as a user would: a child process, output captured. */
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function regctl(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  const t = Date.now();
  const r = await execa(process.execPath, [path.join(repoRoot, 'bin', 'regctl'), ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    reject: false,
    timeout: opts.timeoutMs ?? 600_000,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - t };
}

/** --json event lines of `regctl install` */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
export { jsonResult } from '../../helpers/cli.js';
