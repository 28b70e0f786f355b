import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from './util/package-files.js';
import { consoleOutput, errorResult, renderResult, type Output } from './output.js';
import { ExitCode } from './errors.js';
import type { CliContext } from './commands/context.js';
import { entriesFor } from './commands/index.js';
import { EXIT_CODES } from './commands/result.js';

/** The version in regctl's own package.json. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const ROOT_HELP = `
Exit codes (every command):
${EXIT_CODES.map((e) => `  ${e.code}  ${e.meaning}`).join('\n')}

--json (where a command has it): stdout is JSON Lines; the last line is the result envelope
  {"event":"result","command","ok","exitCode","error"?,"data","findings":[{severity,code,message,file,line,column,key,fix}],"next"}

--root DIR (where a command has it): every absolute host path from the config or the
  installation (certificates, keys, CA files, data_volume, log location, install dir, /etc/docker,
  /etc/containerd, systemd) is read and written under DIR, which must exist. Paths typed on the
  command line (--config, --ca FILE, --bundle) and paths relative to the config file are taken as
  given. Rendered files still name the real paths.

Examples:
  regctl prepare --config /opt/harbor/harbor.yml
  regctl doctor --json
  regctl cert trust --ca regctl-ca/ca.crt --registry reg.example.com`;

export async function buildProgram(ctx: CliContext, setExit: (code: number) => void, argv: readonly string[]): Promise<Command> {
  const program = new Command('regctl')
    .description('From a harbor.yml (or legacy harbor.cfg) to a running private registry that every client trusts.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage and examples)')
    .addHelpText('after', ROOT_HELP)
    .exitOverride();
  program.configureOutput({ writeOut: (s) => ctx.write(s), writeErr: (s) => ctx.writeErr(s) });
  for (const entry of entriesFor(argv)) {
    (await entry.load()).register(program, ctx, setExit);
  }
  return program;
}

/** The command words a usage error belongs to ('cert trust'), for its JSON envelope. */
function typedCommand(program: Command, argv: readonly string[]): string {
  const words: string[] = [];
  let at: Command | undefined = program;
  for (const w of argv.slice(2)) {
    if (w.startsWith('-')) break;
    at = at?.commands.find((c) => c.name() === w);
    if (!at) break;
    words.push(w);
  }
  return words.join(' ');
}

/** A usage error under --json is a JSON envelope too, so scripts never parse commander's text. */
function usageResult(out: Output, err: CommanderError, json: boolean, command: string): number {
  if (!json) return ExitCode.invalidInput;
  const message = err.message.replace(/^error: /, '');
  return renderResult(
    out,
    { exitCode: ExitCode.invalidInput, error: { severity: 'error', code: 'E_USAGE', message, fix: 'run the command with --help for its flags and examples' } },
    { command, json: true },
  );
}

/** Where one CLI run reads and writes: the process, or memory for in-process tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** stdin is a terminal too (regctl init asks questions only then) */
  stdinIsTTY?: boolean;
  columns?: () => number;
}

/** One CLI run (argv as process.argv: node, script, words...); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx: CliContext = {
    out: consoleOutput({ write: io.stdout }, { write: io.stderr }),
    cwd: io.cwd,
    env: io.env,
    isTTY: io.isTTY,
    stdinIsTTY: io.stdinIsTTY ?? false,
    write: io.stdout,
    writeErr: io.stderr,
    columns: io.columns ?? (() => 100),
  };
  const json = argv.includes('--json');
  let exitCode: number = ExitCode.ok;
  let program: Command | undefined;
  try {
    program = await buildProgram(ctx, (code) => {
      exitCode = code;
    }, argv);
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors exit 2 like other invalid input
      return err.exitCode === 0 ? ExitCode.ok : usageResult(ctx.out, err, json, program ? typedCommand(program, argv) : '');
    }
    return renderResult(ctx.out, errorResult(err, io.env), { command: '', json });
  }
  return exitCode;
}

/** The process entry point (bin/regctl). */
export async function main(argv: string[]): Promise<number> {
  // `regctl ... | head` closes the pipe early: stop quietly instead of crashing with EPIPE
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return runCli(argv, {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    columns: () => process.stdout.columns || 100,
  });
}
