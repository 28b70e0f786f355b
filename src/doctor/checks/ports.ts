/**
 * Every host port the stack publishes must be free, or already held by this very stack (a
 * re-install recreates those containers). When taken, name the holder: a process via /proc, or
 * for docker-proxy the container that publishes it.
 */
import type { HarborConfig } from '../../config/model.js';
import { containersPublishing } from '../../docker/containers.js';
import { tryBind, portHolders, listeningInodes, type PortHolder } from '../port-owner.js';
import { pass, fail, type CheckResult, type DoctorCheck, type DoctorContext } from '../types.js';

export interface PublishedPort {
  host: string;
  port: number;
  purpose: string;
  /** the config key that sets it ('' when fixed) */
  key: string;
}

/** What Harbor's compose file publishes for this config (nginx ports and harbor-log's syslog). */
export function publishedPorts(config: HarborConfig): PublishedPort[] {
  const ports: PublishedPort[] = [{ host: '0.0.0.0', port: config.http.port, purpose: 'http', key: 'http.port' }];
  if (config.protocol === 'https' && config.https) ports.push({ host: '0.0.0.0', port: config.https.port, purpose: 'https', key: 'https.port' });
  if (config.metric.enabled) ports.push({ host: '0.0.0.0', port: config.metric.port, purpose: 'metrics', key: 'metric.port' });
  ports.push({ host: '127.0.0.1', port: 1514, purpose: 'harbor-log syslog', key: '' });
  return ports;
}

function describeHolder(h: PortHolder): string {
  const cmd = h.cmdline.length > 80 ? `${h.cmdline.slice(0, 77)}...` : h.cmdline;
  return `${h.command} (pid ${h.pid}${cmd && cmd !== h.command ? `: ${cmd}` : ''})`;
}

/** One published port: free, held by the stack's own containers (pass), or held by whom (fail). */
export async function checkPort(p: PublishedPort, ctx: DoctorContext): Promise<CheckResult> {
  const name = `port ${p.port} (${p.purpose})`;
  const where = p.host === '0.0.0.0' ? `${p.port}` : `${p.host}:${p.port}`;
  let state = await tryBind(p.host, p.port);
  if (state === 'no-permission') {
    // not root: cannot bind below 1024, but dockerd can; look for listeners instead
    state = (await listeningInodes(p.port)).length ? 'in-use' : 'free';
  }
  if (state === 'free') return pass(name, `${where} is free`);
  if (state === 'unavailable') {
    return fail(name, `${p.host} is not an address of this host, cannot publish ${p.port} on it`, 'check the network configuration');
  }
  const holders = await portHolders(p.port);
  if (holders.some((h) => h.command === 'docker-proxy') && ctx.engine.ok) {
    const containers = await containersPublishing(ctx.engine.info.cli, p.port);
    const project = ctx.projectName ?? ctx.target?.projectName;
    const ours = containers.filter((c) => project !== undefined && c.project === project);
    if (containers.length && ours.length === containers.length) {
      return pass(name, `${where} is held by this Harbor's ${ours.map((c) => c.name).join(', ')} (install recreates it)`);
    }
    const others = containers.filter((c) => !ours.includes(c));
    if (others.length) {
      const who = others.map((c) => `container ${c.name}${c.project ? ` (compose project ${c.project})` : ''}`).join(', ');
      return fail(name, `${where} is already published by ${who}`, `stop that container (docker stop ${others[0]!.name}) or set another port in the config (${p.key})`);
    }
  }
  const who = holders.length ? holders.map(describeHolder).join(', ') : 'a process regctl cannot see (run as root to name it)';
  const fix =
    p.purpose === 'harbor-log syslog'
      ? "stop it: Harbor's log container needs 127.0.0.1:1514"
      : `stop it, or set another port in the config (${p.key})`;
  return fail(name, `${where} is in use by ${who}`, fix);
}

export const portsCheck: DoctorCheck = {
  name: 'ports',
  async run(ctx) {
    if (!ctx.target) return [];
    const results: CheckResult[] = [];
    for (const p of publishedPorts(ctx.target.config)) results.push(await checkPort(p, ctx));
    return results;
  },
};

/**
 * One port checked on its own, outside a doctor run (regctl init asks for ports before a config
 * exists): the same bind test and holder lookup, without the Docker engine (a docker-proxy holder
 * is named as a process).
 */
export function checkPortNow(p: PublishedPort): Promise<CheckResult> {
  return checkPort(p, { engine: { ok: false } } as unknown as DoctorContext);
}
