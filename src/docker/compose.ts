/**
 * Docker Compose detection and invocation. Like Harbor's install.sh we prefer the `docker compose`
 * v2 plugin and fall back to a standalone `docker-compose` (v1 ≥ 1.18, or a v2 binary), but we
 * resolve it to an absolute path, say which one we use and why, and say "install compose" when
 * there is none instead of failing to parse a version.
 *
 * Every invocation names the project, the file and the project directory explicitly
 * (`-p NAME -f FILE --project-directory DIR`), so it does not matter where regctl runs from.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegctlError } from '../errors.js';
import { run, runDocker, which, firstErrorLine, type DockerCli, type RunResult } from './cli.js';
import { parseVersion, versionAtLeast, type Version } from './version.js';

export const MIN_COMPOSE_V1: Version = [1, 18, 0];

export interface ComposeTool {
  flavour: 'plugin' | 'standalone';
  version: string;
  /** the binary that runs compose: the plugin itself, or docker-compose */
  path: string;
  /** how to invoke it: [docker, 'compose'] or [docker-compose] */
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** why this one was chosen, for doctor */
  why: string;
}

export type ComposeDetection =
  | { ok: true; tool: ComposeTool; notes: string[] }
  | { ok: false; message: string; fix: string; notes: string[] };

/** Where the docker CLI looks for plugins (DOCKER_CONFIG or ~/.docker, then the system dirs). */
function pluginDirs(env: NodeJS.ProcessEnv): string[] {
  const config = env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), '.docker');
  return [
    path.join(config, 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
}

function findPlugin(env: NodeJS.ProcessEnv): string | undefined {
  return pluginDirs(env)
    .map((d) => path.join(d, 'docker-compose'))
    .find((p) => existsSync(p));
}

export async function detectCompose(cli: DockerCli | undefined, env: NodeJS.ProcessEnv): Promise<ComposeDetection> {
  const notes: string[] = [];
  if (cli) {
    const r = await runDocker(cli, ['compose', 'version'], { timeoutMs: 30_000 });
    const version = r.exitCode === 0 ? parseVersion(r.stdout) : undefined;
    if (version) {
      const plugin = findPlugin(env) ?? `${cli.bin} compose`;
      return {
        ok: true,
        notes,
        tool: {
          flavour: 'plugin',
          version: version.join('.'),
          path: plugin,
          argv: [cli.bin, 'compose'],
          env,
          why: 'preferred over a standalone docker-compose',
        },
      };
    }
    notes.push(`no docker compose plugin (${firstErrorLine(r.stderr || r.stdout) || 'not installed'})`);
  }
  const standalone = which('docker-compose', env);
  if (!standalone) {
    return {
      ok: false,
      notes,
      message: 'Docker Compose is not installed: neither the `docker compose` plugin nor `docker-compose` was found',
      fix: 'install compose: the docker-compose-plugin package (Docker CE) or docker-compose (Debian/Ubuntu: apt-get install docker-compose), then re-run',
    };
  }
  const r = await run(standalone, ['version', '--short'], { env, timeoutMs: 30_000 });
  const text = r.exitCode === 0 ? r.stdout : (await run(standalone, ['--version'], { env, timeoutMs: 30_000 })).stdout;
  const version = parseVersion(text);
  if (!version) {
    return {
      ok: false,
      notes,
      message: `${standalone} does not run or does not report a version (${firstErrorLine(r.stderr) || 'no output'})`,
      fix: 'reinstall docker-compose, or install the docker compose plugin',
    };
  }
  if (!versionAtLeast(text, MIN_COMPOSE_V1)) {
    return {
      ok: false,
      notes,
      message: `${standalone} is version ${version.join('.')}; Harbor needs docker-compose 1.18.0 or newer`,
      fix: 'upgrade docker-compose, or install the docker compose plugin',
    };
  }
  return {
    ok: true,
    notes,
    tool: {
      flavour: 'standalone',
      version: version.join('.'),
      path: standalone,
      argv: [standalone],
      env,
      why: 'used because the docker compose plugin is not installed',
    },
  };
}

export async function requireCompose(cli: DockerCli | undefined, env: NodeJS.ProcessEnv): Promise<ComposeTool> {
  const d = await detectCompose(cli, env);
  if (d.ok) return d.tool;
  throw new RegctlError('E_COMPOSE_MISSING', d.message, { fix: d.fix });
}

export function describeCompose(tool: ComposeTool): string {
  return tool.flavour === 'plugin'
    ? `docker compose plugin v${tool.version} (${tool.path})`
    : `docker-compose v${tool.version} (${tool.path})`;
}

/**
 * Compose's project name for a directory, as both flavours derive it: the lower-cased base name
 * with characters other than [a-z0-9_-] dropped. Harbor's install.sh runs compose from the
 * install dir, so using the same name lets regctl manage a stack install.sh started.
 */
export function projectNameFor(installDir: string): string {
  const name = path.basename(path.resolve(installDir)).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  return name || 'harbor';
}

export interface ComposeProjectSpec {
  name: string;
  file: string;
  directory: string;
}

/** One compose project: `-p`, `-f` and `--project-directory` on every command. */
export class ComposeProject {
  constructor(
    readonly tool: ComposeTool,
    readonly spec: ComposeProjectSpec,
  ) {}

  args(rest: string[]): string[] {
    return [...this.tool.argv.slice(1), '-p', this.spec.name, '-f', this.spec.file, '--project-directory', this.spec.directory, ...rest];
  }

  /** the command line as a user would type it (for messages and the systemd unit) */
  commandLine(rest: string[]): string[] {
    return [this.tool.argv[0]!, ...this.args(rest)];
  }

  run(rest: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    return run(this.tool.argv[0]!, this.args(rest), { env: this.tool.env, cwd: this.spec.directory, timeoutMs: opts.timeoutMs });
  }

  private async must(rest: string[], what: string, timeoutMs?: number): Promise<RunResult> {
    const r = await this.run(rest, { timeoutMs });
    if (r.exitCode !== 0) {
      throw new RegctlError('E_COMPOSE_FAILED', `${what} failed: ${firstErrorLine(r.stderr) || `exit code ${r.exitCode}`}`, {
        fix: `see the full output with: ${this.commandLine(rest).join(' ')}`,
      });
    }
    return r;
  }

  /** `up -d [services]`: never builds, never recreates volumes */
  up(services: string[] = [], timeoutMs = 10 * 60_000): Promise<RunResult> {
    return this.must(['up', '-d', '--no-build', ...services], 'compose up', timeoutMs);
  }

  /** `stop services`: the containers stay, `start` brings the same ones back */
  stop(services: string[], timeoutMs = 5 * 60_000): Promise<RunResult> {
    return this.must(['stop', ...services], 'compose stop', timeoutMs);
  }

  start(services: string[], timeoutMs = 5 * 60_000): Promise<RunResult> {
    return this.must(['start', ...services], 'compose start', timeoutMs);
  }

  /** `down` keeps volumes unless asked; orphans of this project (e.g. trivy switched off) go too */
  down(opts: { volumes?: boolean } = {}, timeoutMs = 5 * 60_000): Promise<RunResult> {
    return this.must(['down', '--remove-orphans', ...(opts.volumes ? ['-v'] : [])], 'compose down', timeoutMs);
  }
}
