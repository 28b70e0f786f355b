/** Doctor results as text: one line per check, the fix under it, and a count. */
import type { CheckResult } from './types.js';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

export function formatResults(results: CheckResult[]): string[] {
  const width = Math.min(32, Math.max(...results.map((r) => r.check.length), 0));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${LABEL[r.status]}  ${r.check.padEnd(width)}  ${r.detail}`);
    if (r.fix && r.status !== 'pass') lines.push(`${' '.repeat(6 + width)}  fix: ${r.fix}`);
  }
  return lines;
}

export function summary(results: CheckResult[]): string {
  const n = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const f = n('fail');
  const w = n('warn');
  return `doctor: ${n('pass')} passed, ${w} warning${w === 1 ? '' : 's'}, ${f} failed`;
}
