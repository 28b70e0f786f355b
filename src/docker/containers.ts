/**
 * Containers as regctl reports them: state, health, uptime, restarts, where their logs go. Read
 * with `docker inspect` (one call for many containers) and found by compose project label or by
 * name (Harbor's container names are fixed: nginx, registry, harbor-core...).
 */
import { runDocker, type DockerCli } from './cli.js';

export interface ContainerInfo {
  id: string;
  /** without the leading slash */
  name: string;
  image: string;
  /** com.docker.compose.project / .service labels ('' when not a compose container) */
  project: string;
  service: string;
  /** compose's working dir label: the install dir that started it */
  workingDir: string;
  /** created, running, restarting, exited, paused, dead */
  status: string;
  running: boolean;
  restarting: boolean;
  exitCode: number;
  restartCount: number;
  /** undefined when the image defines no healthcheck */
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** last healthcheck output, trimmed */
  healthLog?: string;
  startedAt?: Date;
  finishedAt?: Date;
  /** e.g. 'syslog', 'json-file' */
  logDriver: string;
  logOptions: Record<string, string>;
  /** host ports published: "127.0.0.1:1514->10514/tcp" */
  ports: string[];
}

interface InspectJson {
  Id: string;
  Name: string;
  Config: { Image: string; Labels: Record<string, string> | null };
  State: {
    Status: string;
    Running: boolean;
    Restarting: boolean;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string; Log?: { Output: string; ExitCode: number }[] };
  };
  RestartCount: number;
  HostConfig: { LogConfig: { Type: string; Config: Record<string, string> | null } };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

function date(s: string): Date | undefined {
  if (!s || s.startsWith('0001-')) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function toInfo(j: InspectJson): ContainerInfo {
  const labels = j.Config.Labels ?? {};
  const health = j.State.Health;
  const lastHealth = health?.Log?.[health.Log.length - 1];
  const ports: string[] = [];
  for (const [cport, binds] of Object.entries(j.NetworkSettings.Ports ?? {})) {
    for (const b of binds ?? []) ports.push(`${b.HostIp || '0.0.0.0'}:${b.HostPort}->${cport}`);
  }
  return {
    id: j.Id,
    name: j.Name.replace(/^\//, ''),
    image: j.Config.Image,
    project: labels['com.docker.compose.project'] ?? '',
    service: labels['com.docker.compose.service'] ?? '',
    workingDir: labels['com.docker.compose.project.working_dir'] ?? '',
    status: j.State.Status,
    running: j.State.Running,
    restarting: j.State.Restarting,
    exitCode: j.State.ExitCode,
    restartCount: j.RestartCount,
    health: health ? (health.Status as ContainerInfo['health']) : undefined,
    healthLog: lastHealth?.Output?.trim() || undefined,
    startedAt: date(j.State.StartedAt),
    finishedAt: date(j.State.FinishedAt),
    logDriver: j.HostConfig.LogConfig.Type,
    logOptions: j.HostConfig.LogConfig.Config ?? {},
    ports,
  };
}

/** Inspects the given names or ids; missing ones are simply absent from the result. */
export async function inspectContainers(cli: DockerCli, refs: string[]): Promise<ContainerInfo[]> {
  if (!refs.length) return [];
  const r = await runDocker(cli, ['container', 'inspect', ...refs], { timeoutMs: 60_000 });
  // exit 1 when some are missing; stdout still holds the ones found
  let parsed: InspectJson[] = [];
  try {
    parsed = JSON.parse(r.stdout || '[]') as InspectJson[];
  } catch {
    parsed = [];
  }
  return parsed.map(toInfo);
}

/** Every container of a compose project (any state). */
export async function projectContainers(cli: DockerCli, project: string): Promise<ContainerInfo[]> {
  const r = await runDocker(cli, ['ps', '-a', '-q', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) return [];
  return inspectContainers(cli, r.stdout.split('\n').filter(Boolean));
}

/** Names of running containers that publish a host port (docker-proxy holds it for them). */
export async function containersPublishing(cli: DockerCli, port: number): Promise<ContainerInfo[]> {
  const r = await runDocker(cli, ['ps', '-q', '--no-trunc', '--filter', `publish=${port}`], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) return [];
  return inspectContainers(cli, r.stdout.split('\n').filter(Boolean));
}

/** "running (healthy)", "restarting", "exited (1)"... */
export function describeState(c: ContainerInfo): string {
  let s = c.status;
  if (c.status === 'exited') s += ` (${c.exitCode})`;
  if (c.running && c.health) s += ` (${c.health})`;
  return s;
}

/** A container is ready when running and, if its image has a healthcheck, healthy. */
export function isReady(c: ContainerInfo): boolean {
  return c.running && !c.restarting && (c.health === undefined || c.health === 'healthy');
}

export function formatUptime(since: Date | undefined, now: Date): string {
  if (!since) return '-';
  let s = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${d}d${h}h`;
  if (h) return `${h}h${m}m`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}
