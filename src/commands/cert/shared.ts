/** Small helpers shared by the `regctl cert` subcommands. */
import path from 'node:path';
import type { CliContext } from '../context.js';
import { problem, Problem } from '../../errors.js';
import type { CertFinding } from '../../cert/lint/types.js';

export const resolveFrom = (ctx: CliContext, p: string): string => path.resolve(ctx.cwd, p);

/** commander option parser for repeatable flags (--san a --san b). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Findings print through the one error formatter (src/output.ts) like every other problem. */
export function findingsToProblems(findings: CertFinding[]): Problem[] {
  return findings.map((f) => problem(f.severity, f.code, f.message, { fix: f.fix }));
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => (l.startsWith('#') || l === '' ? `  ${l}` : `  $ ${l}`)).join('\n')}\n`;
}

export interface RefreshCommand {
  argv: string[];
  ok: boolean;
  output: string;
  ran: boolean;
}

/** The system-store refresh commands trust/untrust ran (or skipped), as lines and findings. */
export function refreshReport(commands: RefreshCommand[], fix: string): { lines: string[]; findings: Problem[]; failed: boolean } {
  const lines: string[] = [];
  const findings: Problem[] = [];
  for (const c of commands) {
    if (!c.ran) lines.push(`not run (--root is not /): ${c.argv.join(' ')}`);
    else if (c.ok) lines.push(`ran: ${c.argv.join(' ')}`);
    else findings.push(problem('error', 'E_TRUST_REFRESH', `${c.argv.join(' ')} failed: ${c.output || 'no output'}`, { fix }));
  }
  return { lines, findings, failed: findings.length > 0 };
}
