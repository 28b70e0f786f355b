/** Small helpers shared by the `regctl cert` subcommands. */
import { statIfExists } from '../../util/fs.js';
import path from 'node:path';
import type { CliContext } from '../context.js';
import { ExitCode, problem, Problem, RegctlError } from '../../errors.js';
import type { CertFinding } from '../../cert/lint/types.js';

export const resolveFrom = (ctx: CliContext, p: string): string => path.resolve(ctx.cwd, p);

/** commander option parser for repeatable flags (--san a --san b). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** --root must name an existing directory: a typo must not grow a new /etc tree somewhere. */
export async function resolveRoot(ctx: CliContext, value: string): Promise<string> {
  const root = resolveFrom(ctx, value);
  const stat = await statIfExists(root, { follow: true });
  if (!stat?.isDirectory()) {
    throw new RegctlError('E_ROOT_NOT_DIR', `--root ${value} is not an existing directory`, { fix: 'create it first, or check the path', exitCode: ExitCode.invalidInput });
  }
  return root;
}

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

/** Reports the system-store refresh commands trust/untrust ran (or skipped); true when one failed. */
export function reportRefreshCommands(ctx: CliContext, commands: RefreshCommand[], fix: string): boolean {
  let failed = false;
  for (const c of commands) {
    if (!c.ran) ctx.out.info(`not run (--root is not /): ${c.argv.join(' ')}`);
    else if (c.ok) ctx.out.info(`ran: ${c.argv.join(' ')}`);
    else {
      failed = true;
      ctx.out.error(`error: ${c.argv.join(' ')} failed: ${c.output || 'no output'} [E_TRUST_REFRESH]`);
      ctx.out.error(`  fix: ${fix}`);
    }
  }
  return failed;
}
