/**
 * The one place where results, problems and errors become text or JSON. Commands return a
 * CommandResult or throw a RegctlError; they never format either themselves.
 *
 * Text: findings (error / warning / note, each with its fix) on stderr, result lines and the next
 * step on stdout. JSON (--json): stdout holds JSON Lines only: progress events of long steps, then
 * exactly one envelope `{"event":"result", ...}` as the last line; human progress goes to stderr.
 */
import { RegctlError, Problem, ExitCode, SourceLocation } from './errors.js';
import type { CommandResult } from './commands/result.js';
import { systemErrorProblem } from './system-errors.js';

export interface Output {
  /** a progress or result line for people (stdout in text mode, stderr under --json) */
  info(line: string): void;
  /** a finding or error line (stderr) */
  warn(line: string): void;
  error(line: string): void;
  /** one JSON line on stdout (--json progress events and the result envelope) */
  event(value: Record<string, unknown>): void;
}

interface Writable {
  write(text: string): unknown;
}

export function consoleOutput(stdout: Writable = process.stdout, stderr: Writable = process.stderr): Output {
  return {
    info: (l) => void stdout.write(l + '\n'),
    warn: (l) => void stderr.write(l + '\n'),
    error: (l) => void stderr.write(l + '\n'),
    event: (v) => void stdout.write(JSON.stringify(v) + '\n'),
  };
}

export interface MemoryOutput extends Output {
  lines: { stream: 'out' | 'err'; text: string }[];
  text(): string;
  stdout(): string;
  stderr(): string;
}

/** A buffer-backed Output for tests and for commands that call other commands. */
export function memoryOutput(): MemoryOutput {
  const lines: { stream: 'out' | 'err'; text: string }[] = [];
  const join = (s?: 'out' | 'err') => lines.filter((l) => !s || l.stream === s).map((l) => l.text + '\n').join('');
  return {
    lines,
    info: (l) => void lines.push({ stream: 'out', text: l }),
    warn: (l) => void lines.push({ stream: 'err', text: l }),
    error: (l) => void lines.push({ stream: 'err', text: l }),
    event: (v) => void lines.push({ stream: 'out', text: JSON.stringify(v) }),
    text: () => lines.map((l) => l.text).join('\n'),
    stdout: () => join('out'),
    stderr: () => join('err'),
  };
}

/** Under --json, people's lines move to stderr so that stdout stays JSON Lines. */
export function jsonModeOutput(out: Output): Output {
  return { ...out, info: (l) => out.warn(l) };
}

export function formatLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  if (loc.file) {
    let at = loc.file;
    if (loc.line) at += `:${loc.line}`;
    if (loc.line && loc.column) at += `:${loc.column}`;
    parts.push(at);
  }
  if (loc.key) parts.push(`key '${loc.key}'`);
  return parts.join(' ');
}

/** `warning: harbor.yml:12:3 key 'https.port': message [CODE]` and `  fix: ...` under it. */
export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  const head = `${p.severity}${where ? `: ${where}` : ''}: ${p.message} [${p.code}]`;
  return p.fix ? `${head}\n  fix: ${p.fix}` : head;
}

export function reportProblems(out: Output, problems: readonly Problem[]): void {
  for (const p of problems) {
    if (p.severity === 'error') out.error(formatProblem(p));
    else out.warn(formatProblem(p));
  }
}

/** The JSON form of a problem: one shape (and one field name, `fix`) everywhere. */
function problemJson(p: Problem): Record<string, unknown> {
  const { severity, code, message, file, line, column, key, fix } = p;
  return Object.fromEntries(Object.entries({ severity, code, message, file, line, column, key, fix }).filter(([, v]) => v !== undefined));
}

/** An error (thrown by a command or by the CLI parser) as the result it amounts to. */
export function errorResult(err: unknown, env: NodeJS.ProcessEnv = process.env): CommandResult & { debug?: string } {
  if (err instanceof RegctlError) {
    const error: Problem = { severity: 'error', code: err.code, message: err.message, fix: err.fix, ...err.location };
    return { exitCode: err.exitCode, findings: err.problems, error };
  }
  const system = systemErrorProblem(err);
  if (system) {
    const { exitCode, ...error } = system;
    return { exitCode, error, debug: env.REGCTL_DEBUG && err instanceof Error ? err.stack : undefined };
  }
  const message = err instanceof Error ? err.message : String(err);
  const error: Problem = {
    severity: 'error',
    code: 'E_INTERNAL',
    message: `internal failure: ${message}`,
    fix: 'this is a bug in regctl; re-run with REGCTL_DEBUG=1 for details and report it',
  };
  const debug = env.REGCTL_DEBUG && err instanceof Error ? err.stack : undefined;
  return { exitCode: ExitCode.failure, error, debug };
}

export interface RenderOptions {
  /** the command as typed, e.g. 'cert trust' */
  command: string;
  json: boolean;
}

/** Prints a command's result (or the error it ended with) and returns its exit code. */
export function renderResult(out: Output, result: CommandResult & { debug?: string }, opts: RenderOptions): number {
  if (opts.json) {
    out.event({
      event: 'result',
      command: opts.command,
      ok: result.exitCode === ExitCode.ok,
      exitCode: result.exitCode,
      ...(result.error ? { error: problemJson(result.error) } : {}),
      data: result.data ?? null,
      findings: (result.findings ?? []).map(problemJson),
      next: result.next ?? [],
    });
  } else {
    reportProblems(out, result.findings ?? []);
    for (const l of result.lines ?? []) out.info(l);
    if (result.error) out.error(formatProblem(result.error));
    for (const n of result.next ?? []) out.info(`next: ${n}`);
  }
  if (result.debug) out.error(result.debug);
  return result.exitCode;
}

/** Compatibility for code paths that only have an error to show (no command result). */
export function reportError(out: Output, err: unknown, opts: { json?: boolean; command?: string } = {}): number {
  return renderResult(out, errorResult(err), { command: opts.command ?? '', json: Boolean(opts.json) });
}
