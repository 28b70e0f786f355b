/**
 * Waiting for a started stack: every service of the compose file has a container that is running
 * and, where its image defines a healthcheck, healthy. On timeout the caller gets the containers
 * that are not, to report them with their logs.
 */
import { projectContainers, isReady, describeState, type ContainerInfo } from '../docker/containers.js';
import { lastLogLines, describeLogSource } from '../docker/logs.js';
import type { Stack } from './stack.js';

export interface ServiceState {
  service: string;
  containerName: string;
  container?: ContainerInfo;
  ready: boolean;
}

export async function readServiceStates(stack: Stack, only?: string[]): Promise<ServiceState[]> {
  const containers = await projectContainers(stack.cli, stack.target.projectName);
  return stack.services
    .filter((s) => !only || only.includes(s.service))
    .map((s) => {
      const container = containers.find((c) => c.service === s.service);
      return { service: s.service, containerName: s.containerName || container?.name || s.service, container, ready: Boolean(container && isReady(container)) };
    });
}

export function progressLine(states: ServiceState[]): string {
  const ready = states.filter((s) => s.ready).length;
  const waiting = states.filter((s) => !s.ready).map((s) => `${s.containerName} ${s.container ? describeState(s.container) : 'not created'}`);
  return `${ready}/${states.length} ready${waiting.length ? `; waiting for ${waiting.slice(0, 3).join(', ')}${waiting.length > 3 ? ', ...' : ''}` : ''}`;
}

export async function waitUntilReady(
  stack: Stack,
  opts: { deadline: number; only?: string[]; onProgress?: (states: ServiceState[]) => void; pollMs?: number; now?: () => number },
): Promise<{ ready: boolean; states: ServiceState[] }> {
  const now = opts.now ?? Date.now;
  for (;;) {
    const states = await readServiceStates(stack, opts.only);
    opts.onProgress?.(states);
    if (states.every((s) => s.ready)) return { ready: true, states };
    if (now() >= opts.deadline) return { ready: false, states };
    await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 1000, Math.max(0, opts.deadline - now()))));
  }
}

/** For each service that is not ready: its state, last health output and last `lines` log lines. */
export async function describeUnready(stack: Stack, states: ServiceState[], lines = 20): Promise<string[]> {
  const out: string[] = [];
  for (const s of states.filter((x) => !x.ready)) {
    const c = s.container;
    if (!c) {
      out.push(`${s.containerName} (service ${s.service}): no container was created`);
      continue;
    }
    const restarts = c.restartCount ? `, restarted ${c.restartCount} times` : '';
    out.push(`${c.name} (service ${s.service}): ${describeState(c)}${restarts}`);
    if (c.health === 'unhealthy' && c.healthLog) out.push(`  last healthcheck: ${c.healthLog.split('\n')[0]}`);
    const logs = await lastLogLines(stack.cli, c, stack.logPlaces, lines);
    if (logs.error) out.push(`  logs (${describeLogSource(logs.source)}): ${logs.error}`);
    else if (!logs.lines.length) out.push(`  logs (${describeLogSource(logs.source)}): empty`);
    else {
      out.push(`  last ${logs.lines.length} log lines (${describeLogSource(logs.source)}):`);
      for (const l of logs.lines) out.push(`    ${l}`);
    }
  }
  return out;
}
