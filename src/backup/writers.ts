/**
 * Which services write to the database or the registry storage. A consistent backup stops these
 * and keeps harbor-db (it has to answer pg_dump), the log sink (the others log through it),
 * redis (a cache and job queue, not backed up) and the portal (static files) running.
 */
import { projectContainers } from '../docker/containers.js';
import type { Stack } from '../install/stack.js';

export const KEPT_RUNNING = ['log', 'postgresql', 'redis', 'portal'] as const;

export function isWriter(service: string): boolean {
  return !(KEPT_RUNNING as readonly string[]).includes(service);
}

/** The compose services of the stack that are running now and write. */
export async function runningWriters(stack: Stack): Promise<string[]> {
  const containers = await projectContainers(stack.cli, stack.target.projectName);
  const running = new Set(containers.filter((c) => c.running).map((c) => c.service));
  return stack.services.map((s) => s.service).filter((s) => running.has(s) && isWriter(s));
}

/** The harbor-db container, when it runs: its name (from the compose file) or undefined. */
export async function runningDatabase(stack: Stack): Promise<string | undefined> {
  const containers = await projectContainers(stack.cli, stack.target.projectName);
  const db = containers.find((c) => c.service === 'postgresql' && c.running);
  return db?.name;
}
