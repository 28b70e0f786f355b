/**
 * `regctl status`: every service of the compose file with its container's state, health, uptime
 * and restarts; the endpoint checks install makes; and how long the server certificate is valid.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { formatUptime, describeState } from '../docker/containers.js';
import { readServiceStates } from './health.js';
import { probeTargetFor, checkEndpoints, type EndpointResult } from './endpoints.js';
import type { Stack } from './stack.js';

export interface ContainerStatus {
  service: string;
  container: string;
  /** running, restarting, exited (1), missing... */
  state: string;
  health: string;
  uptimeSeconds?: number;
  uptime: string;
  restarts: number;
  ready: boolean;
}

export interface CertificateStatus {
  file: string;
  notAfter: string;
  daysLeft: number;
}

export interface StackStatus {
  /** the release the install dir was rendered for (its installation record) */
  harborVersion: string;
  project: string;
  installDir: string;
  url: string;
  containers: ContainerStatus[];
  endpoints: EndpointResult[];
  certificate?: CertificateStatus | { file: string; error: string };
  healthy: boolean;
}

export async function certificateStatus(file: string, now: Date): Promise<CertificateStatus | { file: string; error: string }> {
  try {
    const cert = new X509Certificate(await readFile(file));
    const notAfter = new Date(cert.validTo);
    return { file, notAfter: notAfter.toISOString(), daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000) };
  } catch (err) {
    return { file, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

export async function stackStatus(stack: Stack, now = new Date()): Promise<StackStatus> {
  const states = await readServiceStates(stack);
  const containers: ContainerStatus[] = states.map((s) => {
    const c = s.container;
    const up = c?.running && c.startedAt ? Math.floor((now.getTime() - c.startedAt.getTime()) / 1000) : undefined;
    return {
      service: s.service,
      container: s.containerName,
      state: c ? describeState(c).replace(/ \((healthy|unhealthy|starting)\)$/, '') : 'missing',
      health: c?.health ?? (c ? '-' : ''),
      uptimeSeconds: up,
      uptime: c?.running ? formatUptime(c.startedAt, now) : '-',
      restarts: c?.restartCount ?? 0,
      ready: s.ready,
    };
  });
  const { config } = stack.target;
  const anyRunning = containers.some((c) => c.state === 'running');
  const endpoints = anyRunning ? await checkEndpoints(await probeTargetFor(config, { root: stack.target.root }), 5000, { notary: Boolean(stack.target.record?.withNotary) }) : [];
  const certificate = config.protocol === 'https' && config.https ? await certificateStatus(stack.target.hostPath(config.https.certificate), now) : undefined;
  return {
    harborVersion: stack.target.release.version,
    project: stack.target.projectName,
    installDir: stack.target.installDir,
    url: config.publicUrl,
    containers,
    endpoints,
    certificate,
    healthy: containers.length > 0 && containers.every((c) => c.ready) && endpoints.length > 0 && endpoints.every((e) => e.status !== 'fail'),
  };
}

export function formatStatus(st: StackStatus): string[] {
  const head = ['SERVICE', 'CONTAINER', 'STATE', 'HEALTH', 'UPTIME', 'RESTARTS'];
  const rows = st.containers.map((c) => [c.service, c.container, c.state, c.health || '-', c.uptime, String(c.restarts)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [`Harbor ${st.harborVersion} at ${st.url} (compose project ${st.project} in ${st.installDir})`, '', fmt(head), ...rows.map(fmt), ''];
  if (!st.endpoints.length) lines.push('endpoints: not checked (no container is running)');
  for (const e of st.endpoints) lines.push(`${e.status.toUpperCase().padEnd(4)}  ${e.check}: ${e.detail}${e.fix ? `\n      fix: ${e.fix}` : ''}`);
  if (st.certificate) {
    if ('error' in st.certificate) lines.push(`certificate: cannot read ${st.certificate.file} (${st.certificate.error})`);
    else {
      const d = st.certificate.daysLeft;
      lines.push(`certificate: ${st.certificate.file} ${d < 0 ? `EXPIRED ${-d} days ago` : `expires in ${d} days`} (${st.certificate.notAfter.slice(0, 10)})${d >= 0 && d < 30 ? ': renew it soon (regctl cert renew)' : ''}`);
    }
  }
  lines.push(st.healthy ? 'status: healthy' : 'status: NOT healthy');
  return lines;
}
