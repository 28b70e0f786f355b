/** Small helpers shared by the `regctl cert` subcommands. */
import path from 'node:path';
import type { CliContext } from '../../commands/context.js';
import { problem, Problem } from '../../errors.js';
import type { CertFinding } from '../lint/types.js';

export const resolveFrom = (ctx: CliContext, p: string): string => path.resolve(ctx.cwd, p);

/** commander option parser for repeatable flags (--san a --san b). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Findings print through the one error formatter (src/output.ts) like every other problem. */
export function findingsToProblems(findings: CertFinding[]): Problem[] {
  return findings.map((f) => problem(f.severity, f.code, f.message, { hint: f.fix }));
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => (l.startsWith('#') || l === '' ? `  ${l}` : `  $ ${l}`)).join('\n')}\n`;
}
