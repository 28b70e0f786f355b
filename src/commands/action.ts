import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { CommandResult } from './result.js';
import { errorResult, jsonModeOutput, renderResult } from '../output.js';

/** 'cert trust' for the trust subcommand: the words a user types after `regctl`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Wraps a command body: the body gets the context (under --json its people's lines go to stderr)
 * and returns a CommandResult, or throws; either way the one renderer (src/output.ts) prints it
 * as text or as the JSON envelope, and its exit code becomes the process's.
 */
export function action<A extends unknown[]>(
  ctx: CliContext,
  setExit: (code: number) => void,
  body: (run: CliContext, ...args: A) => Promise<CommandResult>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command;
    const json = Boolean(cmd.opts().json);
    const run: CliContext = json ? { ...ctx, out: jsonModeOutput(ctx.out), json } : { ...ctx, json };
    const opts = { command: commandPath(cmd), json };
    let result;
    try {
      result = await body(run, ...args);
    } catch (err) {
      result = errorResult(err, ctx.env);
    }
    setExit(renderResult(ctx.out, result, opts));
  };
}
