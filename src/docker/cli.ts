/**
 * The docker CLI as regctl drives it: an absolute path (resolved once, so `sudo` or a changed PATH
 * cannot swap it underneath) plus the environment it runs with (DOCKER_HOST, DOCKER_CONFIG...).
 * Every docker or compose invocation goes through `run`, which never throws on a non-zero exit:
 * callers decide what a failure means. Secrets never appear in arguments.
 */
import { execa } from 'execa';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export interface DockerCli {
  /** absolute path of the docker binary */
  bin: string;
  env: NodeJS.ProcessEnv;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** the binary could not be started at all (ENOENT, EACCES) */
  spawnError?: string;
}

/** Resolves an executable on PATH to its absolute path, like `command -v`. */
export function which(name: string, env: NodeJS.ProcessEnv): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? path.resolve(name) : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findDockerCli(env: NodeJS.ProcessEnv): DockerCli | undefined {
  const bin = which('docker', env);
  return bin ? { bin, env } : undefined;
}

export async function run(
  bin: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } ,
): Promise<RunResult> {
  const r = await execa(bin, args, {
    env: opts.env,
    extendEnv: false,
    cwd: opts.cwd,
    input: opts.input,
    reject: false,
    timeout: opts.timeoutMs,
    stripFinalNewline: true,
  });
  const spawnError = r.exitCode === undefined && r.failed ? (r.originalMessage ?? r.shortMessage) : undefined;
  return {
    exitCode: r.exitCode ?? (r.timedOut ? 124 : 127),
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? '') + (r.timedOut ? `\n(timed out after ${opts.timeoutMs} ms)` : ''),
    spawnError,
  };
}

export function runDocker(cli: DockerCli, args: string[], opts: { cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(cli.bin, args, { env: cli.env, ...opts });
}

/** The first meaningful line of a CLI error, for messages. */
export function firstErrorLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^(DEPRECATED|WARNING)/i.test(l));
  return (line ?? '').replace(/^Error( response from daemon)?:\s*/i, '');
}
