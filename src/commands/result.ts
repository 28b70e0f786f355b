/**
 * What every command returns: one value that the one renderer (src/output.ts) turns into text or
 * into the JSON envelope. Commands do not print results themselves; long-running ones report
 * progress through `Output.progress`/`Output.event` while they run.
 */
import type { Problem } from '../errors.js';
import { ExitCode } from '../errors.js';

export interface CommandResult {
  /** 0 ok, 1 a failed check or step, 2 invalid input or usage (see EXIT_CODES) */
  exitCode: number;
  /** the machine-readable result: the envelope's `data` */
  data?: unknown;
  /** problems, warnings and notes, each with a code, a location where known, and a fix */
  findings?: Problem[];
  /** what text mode prints on stdout */
  lines?: string[];
  /** the next commands to run, with the user's own flags */
  next?: string[];
  /** what the command ended with when it failed (printed last; the envelope's `error`) */
  error?: Problem;
}

export const ok = (r: Omit<CommandResult, 'exitCode'> = {}): CommandResult => ({ exitCode: ExitCode.ok, ...r });

/** The exit code table every command follows; `regctl --help` and README print it. */
export const EXIT_CODES: readonly { code: number; meaning: string }[] = [
  { code: ExitCode.ok, meaning: 'success (warnings may have been printed)' },
  { code: ExitCode.failure, meaning: 'a check failed (doctor, cert check, status) or a step failed at run time (Docker, health, a lock held by another run)' },
  { code: ExitCode.invalidInput, meaning: 'invalid input or usage: a bad flag or config, a file that would be overwritten without --force; nothing was written' },
];
