/** Text for --dry-run: one line per file, and a one-line summary. */
import type { Plan } from './plan.js';

export function planLines(plan: Plan): string[] {
  return plan.files.map((f) => `${f.change.padEnd(9)} ${f.root}:${f.path}${f.metadataOnly ? ' (mode/owner)' : ''}`);
}

export function planSummary(plan: Plan): string {
  const count = (c: string) => plan.files.filter((f) => f.change === c).length;
  return `${count('create')} to create, ${count('change')} to change, ${count('remove')} to remove, ${count('unchanged')} unchanged`;
}
