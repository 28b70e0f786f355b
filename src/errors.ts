/**
 * Errors are values: a stable code, a message a user can act on, a fix that says how to fix it,
 * and where it happened (file, line, column, key path). They are turned into output in exactly one
 * place (src/output.ts), so no command prints a stack trace or formats errors on its own.
 */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  /** dotted key path inside the config, e.g. `https.certificate` */
  key?: string;
}

/** error: the run stops (exit 1 or 2); warning: it goes on but something is wrong; note: worth knowing */
export type Severity = 'error' | 'warning' | 'note';

export interface Problem extends SourceLocation {
  severity: Severity;
  code: string;
  message: string;
  fix?: string;
}

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** a check failed (doctor, cert check), or a runtime step failed */
  failure: 1,
  /** the input (config, flags) is invalid: nothing was written */
  invalidInput: 2,
} as const;

export class RegctlError extends Error {
  readonly code: string;
  readonly fix?: string;
  readonly location: SourceLocation;
  readonly exitCode: number;
  /** further problems reported together with this one (validation reports them all at once) */
  readonly problems: Problem[];

  constructor(
    code: string,
    message: string,
    opts: { fix?: string; exitCode?: number; problems?: Problem[]; cause?: unknown } & SourceLocation = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RegctlError';
    this.code = code;
    this.fix = opts.fix;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.problems = opts.problems ?? [];
    this.location = { file: opts.file, line: opts.line, column: opts.column, key: opts.key };
  }
}

export function problem(
  severity: Severity,
  code: string,
  message: string,
  where: SourceLocation & { fix?: string } = {},
): Problem {
  return { severity, code, message, ...where };
}

/** Thrown when validation found errors: carries every problem, exit code 2. */
export function invalidConfig(problems: Problem[]): RegctlError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new RegctlError(
    'E_CONFIG_INVALID',
    `${errors.length} problem${errors.length === 1 ? '' : 's'} in the configuration; nothing was written`,
    { exitCode: ExitCode.invalidInput, problems },
  );
}
