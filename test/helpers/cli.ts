/** Runs the built CLI (bin/regctl → dist/) as a user would, in a child process: the one CLI helper of the suite. */
import { execa } from 'execa';
import path from 'node:path';
import { repoRoot } from './workspace.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** wall time of the run */
  ms: number;
}

/**
 * Async on purpose: a synchronous spawn blocks the test worker's event loop, and a block of 60 s
 * makes vitest's worker RPC time out ("Timeout calling onTaskUpdate", vitest-dev/vitest#8164) and
 * fail a run whose tests all passed.
 */
export async function regctl(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = Date.now();
  const r = await execa(process.execPath, [path.join(repoRoot, 'bin', 'regctl'), ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    input: opts.input ?? '',
    reject: false,
    timeout: opts.timeoutMs ?? 600_000,
    stripFinalNewline: false,
  });
  return { code: r.exitCode ?? null, signal: (r.signal as NodeJS.Signals | undefined) ?? null, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - started };
}

export interface ResultEnvelope {
  event: 'result';
  command: string;
  ok: boolean;
  exitCode: number;
  error?: { severity: string; code: string; message: string; fix?: string; file?: string; line?: number; column?: number; key?: string };
  data: any;
  findings: { severity: string; code: string; message: string; fix?: string; file?: string; line?: number; column?: number; key?: string }[];
  next: string[];
}

/** The --json result envelope: the last line of stdout (earlier lines are progress events). */
export function jsonResult(stdout: string): ResultEnvelope {
  const lines = stdout.trim().split('\n');
  const envelope = JSON.parse(lines[lines.length - 1]!) as ResultEnvelope;
  if (envelope.event !== 'result') throw new Error(`the last stdout line is not a result envelope: ${lines[lines.length - 1]}`);
  return envelope;
}

/** --json event lines (progress events, then the result envelope) */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
