/**
 * The suite's CLI helpers, one result shape (CliResult):
 * - regctl(): the built CLI (bin/regctl → dist/) in a child process, as a user runs it. For what
 *   needs a real process: signals and kill -9, a terminal, bin/regctl itself, process-wide
 *   environment, locks held by separate processes.
 * - regctlInProcess(): runCli (src/cli.ts) in the test worker with memory streams; cwd and env are
 *   injected (runCli reads neither from the process). No build, no process start-up.
 */
import { execa } from 'execa';
import path from 'node:path';
import { runCli } from '../../src/cli.js';
import { repoRoot } from './workspace.js';

export interface CliOptions {
  cwd?: string;
  /** added to this process's environment, as for a child */
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

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
export async function regctl(args: string[], opts: CliOptions = {}): Promise<CliResult> {
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

/**
 * regctl() in-process: the same argv, cwd and environment (this process's plus opts.env) given to
 * runCli, stdout and stderr collected in memory, not a TTY. No stdin: a test that feeds input
 * spawns. signal is always null (nothing can kill it but the worker).
 */
export async function regctlInProcess(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  if (opts.input) throw new Error('regctlInProcess has no stdin: use regctl() to feed input');
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', path.join(repoRoot, 'bin', 'regctl'), ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    isTTY: false,
  });
  return { code, signal: null, stdout, stderr, ms: Date.now() - started };
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
