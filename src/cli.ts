import { Command, CommanderError } from 'commander';
import { consoleOutput, reportError } from './output.js';
import { ExitCode } from './errors.js';
import type { CliContext } from './commands/context.js';
import { entriesFor } from './commands/index.js';

export async function buildProgram(ctx: CliContext, setExit: (code: number) => void, argv: readonly string[]): Promise<Command> {
  const program = new Command('regctl')
    .description('From a harbor.yml (or legacy harbor.cfg) to a running private registry that every client trusts.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage and examples)')
    .exitOverride();
  program.configureOutput({
    writeOut: (s) => process.stdout.write(s),
    writeErr: (s) => process.stderr.write(s),
  });
  for (const entry of entriesFor(argv)) {
    (await entry.load()).register(program, ctx, setExit);
  }
  return program;
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const ctx: CliContext = {
    out: consoleOutput(),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
  // `regctl ... | head` closes the pipe early: stop quietly instead of crashing with EPIPE
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  let exitCode: number = ExitCode.ok;
  try {
    const program = await buildProgram(ctx, (code) => {
      exitCode = code;
    }, argv);
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors exit 2 like other invalid input
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    return reportError(ctx.out, err);
  }
  return exitCode;
}
