/** Runs the built CLI (bin/regctl → dist/) as a user would, capturing output and exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './workspace.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function regctl(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'regctl'), ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
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
