/**
 * The one place where problems and errors become text (or JSON). Commands return values or throw
 * RegctlError; they never format errors themselves.
 */
import { RegctlError, Problem, ExitCode, SourceLocation } from './errors.js';

export interface Output {
  /** normal progress / result lines (stdout) */
  info(line: string): void;
  /** warnings and errors (stderr) */
  warn(line: string): void;
  error(line: string): void;
  json(value: unknown): void;
}

export function consoleOutput(stdout = process.stdout, stderr = process.stderr): Output {
  return {
    info: (l) => void stdout.write(l + '\n'),
    warn: (l) => void stderr.write(l + '\n'),
    error: (l) => void stderr.write(l + '\n'),
    json: (v) => void stdout.write(JSON.stringify(v, null, 2) + '\n'),
  };
}

/** A buffer-backed Output for tests and for commands that call other commands. */
export function memoryOutput(): Output & { lines: { stream: 'out' | 'err'; text: string }[]; text(): string } {
  const lines: { stream: 'out' | 'err'; text: string }[] = [];
  return {
    lines,
    info: (l) => void lines.push({ stream: 'out', text: l }),
    warn: (l) => void lines.push({ stream: 'err', text: l }),
    error: (l) => void lines.push({ stream: 'err', text: l }),
    json: (v) => void lines.push({ stream: 'out', text: JSON.stringify(v, null, 2) }),
    text: () => lines.map((l) => l.text).join('\n'),
  };
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

export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  const head = `${p.severity}${where ? `: ${where}` : ''}: ${p.message} [${p.code}]`;
  return p.fix ? `${head}\n  fix: ${p.fix}` : head;
}

export function reportProblems(out: Output, problems: Problem[]): void {
  for (const p of problems) {
    if (p.severity === 'error') out.error(formatProblem(p));
    else out.warn(formatProblem(p));
  }
}

/** Turns anything thrown by a command into output and an exit code. No stack traces for users. */
export function reportError(out: Output, err: unknown, opts: { json?: boolean } = {}): number {
  if (err instanceof RegctlError) {
    if (opts.json) {
      out.json({
        error: { code: err.code, message: err.message, fix: err.fix, ...err.location },
        problems: err.problems,
      });
    } else {
      reportProblems(out, err.problems);
      const where = formatLocation(err.location);
      out.error(`error${where ? `: ${where}` : ''}: ${err.message} [${err.code}]`);
      if (err.fix) out.error(`  fix: ${err.fix}`);
    }
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  out.error(`error: internal failure: ${message} [E_INTERNAL]`);
  out.error('  fix: this is a bug in regctl; re-run with REGCTL_DEBUG=1 for details and report it');
  if (process.env.REGCTL_DEBUG && err instanceof Error && err.stack) out.error(err.stack);
  return ExitCode.failure;
}
