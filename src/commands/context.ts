import type { Output } from '../output.js';

/** What every command gets from the CLI shell: where to print and the process environment. */
export interface CliContext {
  out: Output;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** true when stdout is a terminal (spinners, colours) */
  isTTY: boolean;
}
