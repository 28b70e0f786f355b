/**
 * Probing the Docker engine: is the CLI there, does the engine answer, which versions, where its
 * data lives. One call each to `docker version` and `docker info`; failures become RegctlErrors
 * that say how the connection failed (socket missing, permission, refused).
 */
import { RegctlError } from '../errors.js';
import { findDockerCli, firstErrorLine, runDocker, type DockerCli } from './cli.js';
import { engineEndpoint, explainEngineFailure, type EngineEndpoint } from './endpoint.js';

export interface EngineInfo {
  cli: DockerCli;
  endpoint: EngineEndpoint;
  clientVersion: string;
  serverVersion: string;
  /** DockerRootDir, e.g. /var/lib/docker */
  rootDir: string;
  /** SecurityOptions, e.g. ["name=seccomp,profile=default", "name=selinux"] */
  securityOptions: string[];
}

export type EngineProbe =
  | { ok: true; info: EngineInfo }
  | { ok: false; code: 'E_DOCKER_CLI_MISSING' | 'E_ENGINE_UNREACHABLE' | 'E_ENGINE_PERMISSION'; message: string; fix: string; cli?: DockerCli; clientVersion?: string; endpoint: EngineEndpoint };

export async function probeEngine(env: NodeJS.ProcessEnv): Promise<EngineProbe> {
  const endpoint = engineEndpoint(env);
  const cli = findDockerCli(env);
  if (!cli) {
    return {
      ok: false,
      code: 'E_DOCKER_CLI_MISSING',
      message: 'the docker command is not installed (not found on PATH)',
      fix: 'install Docker Engine 20.10.10 or newer (Debian/Ubuntu: apt-get install docker.io), then re-run',
      endpoint,
    };
  }
  const ver = await runDocker(cli, ['version', '--format', '{{json .}}'], { timeoutMs: 30_000 });
  let clientVersion: string | undefined;
  let serverVersion: string | undefined;
  try {
    const parsed = JSON.parse(ver.stdout.split('\n')[0] ?? '') as { Client?: { Version?: string }; Server?: { Version?: string } | null };
    clientVersion = parsed.Client?.Version;
    serverVersion = parsed.Server?.Version;
  } catch {
    // no JSON: the CLI failed before printing anything useful; handled below
  }
  if (ver.exitCode !== 0 || !serverVersion) {
    const why = explainEngineFailure(endpoint, ver.stderr + ver.spawnError);
    return {
      ok: false,
      code: /permission/.test(why.reason) ? 'E_ENGINE_PERMISSION' : 'E_ENGINE_UNREACHABLE',
      message: `${why.reason}${ver.stderr ? ` (docker: ${firstErrorLine(ver.stderr)})` : ''}`,
      fix: why.fix,
      cli,
      clientVersion,
      endpoint,
    };
  }
  const info = await runDocker(cli, ['info', '--format', '{{json .DockerRootDir}}\t{{json .SecurityOptions}}'], { timeoutMs: 30_000 });
  let rootDir = '/var/lib/docker';
  let securityOptions: string[] = [];
  if (info.exitCode === 0) {
    const [root, sec] = info.stdout.split('\t');
    try {
      rootDir = JSON.parse(root ?? '""') || rootDir;
      securityOptions = JSON.parse(sec ?? '[]') ?? [];
    } catch {
      // keep defaults: only used for the disk-space and SELinux checks
    }
  }
  return { ok: true, info: { cli, endpoint, clientVersion: clientVersion ?? 'unknown', serverVersion, rootDir, securityOptions } };
}

/** The engine or a RegctlError (for commands that cannot do anything without it). */
export async function requireEngine(env: NodeJS.ProcessEnv): Promise<EngineInfo> {
  const probe = await probeEngine(env);
  if (probe.ok) return probe.info;
  throw new RegctlError(probe.code, probe.message, { fix: probe.fix });
}
