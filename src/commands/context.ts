import type { Output } from '../output.js';

/** What every command gets from the CLI shell: where to print and the process environment. */
export interface CliContext {
  out: Output;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** true when stdout is a terminal (spinners, colours) */
  isTTY: boolean;
  /** true when stdin is a terminal as well: someone can answer questions */
  stdinIsTTY?: boolean;
  /** --json was given: stdout carries JSON Lines only */
  json?: boolean;
  /** raw stdout and stderr (commander's help, a TTY step list redrawn in place) */
  write: (text: string) => void;
  writeErr: (text: string) => void;
  /** terminal width for redrawn lines */
  columns: () => number;
}
