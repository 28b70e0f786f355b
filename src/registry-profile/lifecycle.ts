/**
 * status, down and logs for an install dir holding the registry profile (its record says so):
 * one compose project with one `registry` service.
 */
import path from 'node:path';
import { requireEngine } from '../docker/engine.js';
import { ComposeProject, projectNameFor, requireCompose } from '../docker/compose.js';
import type { DockerCli } from '../docker/cli.js';
import { projectContainers, describeState, formatUptime, isReady, type ContainerInfo } from '../docker/containers.js';
import { certificateStatus } from '../install/status.js';
import { underRoot } from '../util/root.js';
import { probeRegistry, type ProbeResult } from './probe.js';
import type { RegistryRecord } from './record.js';
import type { RegistryProfileConfig } from './model.js';

export interface RegistryStack {
  record: RegistryRecord;
  installDir: string;
  root?: string;
  cli: DockerCli;
  project: ComposeProject;
}

export async function openRegistryStack(record: RegistryRecord, installDir: string, root: string | undefined, env: NodeJS.ProcessEnv): Promise<RegistryStack> {
  const engine = await requireEngine(env);
  const compose = await requireCompose(engine.cli, env);
  const project = new ComposeProject(compose, { name: projectNameFor(installDir), file: path.join(installDir, 'docker-compose.yml'), directory: installDir });
  return { record, installDir, root, cli: engine.cli, project };
}

export interface RegistryStatus {
  profile: 'registry';
  project: string;
  installDir: string;
  url: string;
  containers: { service: string; container: string; state: string; health: string; uptime: string; restarts: number; ready: boolean }[];
  endpoint?: ProbeResult;
  certificate?: Awaited<ReturnType<typeof certificateStatus>>;
  healthy: boolean;
}

export async function registryStatus(s: RegistryStack, now = new Date()): Promise<RegistryStatus> {
  const { record } = s;
  const found: ContainerInfo[] = await projectContainers(s.cli, s.project.spec.name);
  const containers = found.map((c) => ({ service: c.service, container: c.name, state: describeState(c), health: c.health ?? '-', uptime: c.running ? formatUptime(c.startedAt, now) : '-', restarts: c.restartCount, ready: isReady(c) }));
  const asConfig = { hostname: record.hostname, port: record.port, tls: record.tls ? { certificate: '', privateKey: '' } : undefined } as RegistryProfileConfig;
  const caFile = path.join(s.installDir, 'ca', 'ca.crt');
  const endpoint = found.some((c) => c.running) ? await probeRegistry(asConfig, { caFile }) : undefined;
  const certificate = record.certificate ? await certificateStatus(underRoot(s.root, record.certificate), now) : undefined;
  const url = `${record.tls ? 'https' : 'http'}://${record.hostname}:${record.port}`;
  const healthy = containers.length > 0 && containers.every((c) => c.ready) && endpoint?.status === 'pass';
  return { profile: 'registry', project: s.project.spec.name, installDir: s.installDir, url, containers, endpoint, certificate, healthy };
}

export function formatRegistryStatus(st: RegistryStatus): string[] {
  const lines = [`registry at ${st.url} (compose project ${st.project} in ${st.installDir})`, ''];
  for (const c of st.containers) lines.push(`${c.service}  ${c.container}  ${c.state}  uptime ${c.uptime}  restarts ${c.restarts}`);
  if (!st.containers.length) lines.push('no container: the registry is not running (regctl install --profile registry starts it)');
  lines.push(st.endpoint ? `${st.endpoint.status.toUpperCase()}  /v2/: ${st.endpoint.detail}` : 'endpoints: not checked (no container is running)');
  if (st.certificate) lines.push('error' in st.certificate ? `certificate: cannot read ${st.certificate.file} (${st.certificate.error})` : `certificate: ${st.certificate.file} expires in ${st.certificate.daysLeft} days`);
  lines.push(st.healthy ? 'status: healthy' : 'status: NOT healthy');
  return lines;
}
