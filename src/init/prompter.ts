/**
 * How the wizard asks: an interface, so the questions run against a terminal (@inquirer/prompts),
 * against the defaults (`--yes`), or in memory (tests). A validator returns true or the message
 * to show; the prompt then asks again.
 */
import { ExitCode, RegctlError } from '../errors.js';

export type Validator<T> = (value: T) => Promise<true | string> | true | string;

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  /** true when a person answers (a --yes run answers with the defaults) */
  readonly interactive: boolean;
  input(q: { id: string; message: string; default?: string; validate?: Validator<string> }): Promise<string>;
  /** masked while typed */
  password(q: { id: string; message: string; validate?: Validator<string> }): Promise<string>;
  confirm(q: { id: string; message: string; default: boolean }): Promise<boolean>;
  select<T>(q: { id: string; message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  /** a line for the person answering (address lists, warnings, the summary) */
  say(line: string): void;
}

/** The user pressed Ctrl-C (or closed the terminal) at a prompt. */
export class PromptAborted extends Error {
  constructor() {
    super('aborted at a prompt');
    this.name = 'PromptAborted';
  }
}

export function isPromptAbort(err: unknown): boolean {
  return err instanceof PromptAborted || (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError'));
}

/** --yes: every question takes its default; a default that fails its validator stops the run (exit 2). */
export function defaultsPrompter(say: (line: string) => void = () => {}): Prompter {
  const check = async <T>(id: string, value: T, validate?: Validator<T>): Promise<T> => {
    const verdict = validate ? await validate(value) : true;
    if (verdict !== true) {
      throw new RegctlError('E_INIT_DEFAULT', `--yes: the default for ${id} (${String(value)}) is not valid: ${verdict}`, {
        key: id,
        exitCode: ExitCode.invalidInput,
        fix: `pass a value for it on the command line (see regctl init --help), or run regctl init in a terminal to answer the question`,
      });
    }
    return value;
  };
  return {
    interactive: false,
    input: (q) => check(q.id, q.default ?? '', q.validate),
    password: (q) => {
      throw new RegctlError('E_INIT_DEFAULT', `--yes cannot type a password for ${q.id}`, { exitCode: ExitCode.invalidInput, fix: 'this is a bug in regctl init: --yes generates every password' });
    },
    confirm: async (q) => q.default,
    select: async (q) => q.default ?? q.choices[0]!.value,
    say,
  };
}

type InquirerModule = typeof import('@inquirer/prompts');

/**
 * A terminal: @inquirer/prompts, loaded only here (the bundle keeps it out of other commands'
 * start-up). Output goes to `output` (stderr under --json, so stdout stays JSON Lines).
 */
export async function terminalPrompter(output: NodeJS.WritableStream, load: () => Promise<InquirerModule> = () => import('@inquirer/prompts')): Promise<Prompter> {
  const p = await load();
  const context = { output, clearPromptOnDone: false } as Parameters<InquirerModule['input']>[1];
  return {
    interactive: true,
    input: (q) => p.input({ message: q.message, default: q.default, validate: q.validate }, context),
    password: (q) => p.password({ message: q.message, mask: '*', validate: q.validate }, context),
    confirm: (q) => p.confirm({ message: q.message, default: q.default }, context),
    select: <T>(q: { message: string; choices: Choice<T>[]; default?: T }) =>
      p.select<T>({ message: q.message, choices: q.choices, default: q.default }, context),
    say: (line) => void output.write(line + '\n'),
  };
}
