/**
 * The ports check with a stub context (engine down): free ports pass, a port held by a real
 * listening socket of this process fails naming the process, 127.0.0.1:1514 names harbor-log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { portsCheck, publishedPorts } from '../../../src/doctor/checks/ports.js';
import type { CheckResult } from '../../../src/doctor/types.js';
import { lockHarborNames } from '../../e2e/helpers/engine.js';
import { stubContext, useScratch } from './stub-context.js';

async function listen(host: string, port = 0): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve());
  });
  return server;
}
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;
const close = (s: net.Server) => new Promise<void>((resolve) => s.close(() => resolve()));

/** Ports free right now (bound on 0.0.0.0 by the kernel's choice, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => listen('0.0.0.0')));
  const ports = servers.map(portOf);
  await Promise.all(servers.map(close));
  return ports;
}

const byName = (results: CheckResult[], name: string) => {
  const r = results.find((x) => x.check === name);
  if (!r) throw new Error(`no result "${name}" in ${JSON.stringify(results, null, 1)}`);
  return r;
};
const ownComm = () => readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim();

describe('doctor check: ports', () => {
  const scratch = useScratch();

  it('has nothing to check without a target', async () => {
    expect(await portsCheck.run(stubContext())).toEqual([]);
  });

  it('lists http, https, metrics and harbor-log syslog for an https config with metrics', async () => {
    const { target } = await scratch.target({ 'http.port': 8080, 'https.port': 8443, metric: { enabled: true, port: 9090, path: '/metrics' } });
    expect(publishedPorts(target.config)).toEqual([
      { host: '0.0.0.0', port: 8080, purpose: 'http', key: 'http.port' },
      { host: '0.0.0.0', port: 8443, purpose: 'https', key: 'https.port' },
      { host: '0.0.0.0', port: 9090, purpose: 'metrics', key: 'metric.port' },
      { host: '127.0.0.1', port: 1514, purpose: 'harbor-log syslog', key: '' },
    ]);
  });

  it('passes free http, https and metrics ports, one result per published port', async () => {
    const [http, https, metrics] = await freePorts(3);
    const { target } = await scratch.target({ 'http.port': http, 'https.port': https, metric: { enabled: true, port: metrics, path: '/metrics' } });
    const results = await portsCheck.run(stubContext({ target }));
    expect(results.map((r) => r.check)).toEqual([`port ${http} (http)`, `port ${https} (https)`, `port ${metrics} (metrics)`, 'port 1514 (harbor-log syslog)']);
    expect(byName(results, `port ${http} (http)`)).toEqual({ check: `port ${http} (http)`, status: 'pass', detail: `${http} is free`, fix: '' });
    expect(byName(results, `port ${https} (https)`)).toEqual({ check: `port ${https} (https)`, status: 'pass', detail: `${https} is free`, fix: '' });
    expect(byName(results, `port ${metrics} (metrics)`)).toEqual({ check: `port ${metrics} (metrics)`, status: 'pass', detail: `${metrics} is free`, fix: '' });
  });

  it('an http-only config publishes no https port', async () => {
    const [http] = await freePorts(1);
    const { target } = await scratch.target({ 'http.port': http, https: undefined });
    const results = await portsCheck.run(stubContext({ target }));
    expect(results.map((r) => r.check)).toEqual([`port ${http} (http)`, 'port 1514 (harbor-log syslog)']);
    expect(results[0]).toMatchObject({ status: 'pass', detail: `${http} is free` });
  });

  it('fails on a port held by a listening socket on 127.0.0.1, naming this process and the config key', async () => {
    const [http] = await freePorts(1);
    const holder = await listen('127.0.0.1');
    const https = portOf(holder);
    let results: CheckResult[];
    try {
      const { target } = await scratch.target({ 'http.port': http, 'https.port': https });
      results = await portsCheck.run(stubContext({ target }));
    } finally {
      await close(holder);
    }
    const taken = byName(results, `port ${https} (https)`);
    expect(taken.status).toBe('fail');
    expect(taken.detail.startsWith(`${https} is in use by ${ownComm()} (pid ${process.pid}`)).toBe(true);
    expect(taken.fix).toBe('stop it, or set another port in the config (https.port)');
    // the other port is unaffected
    expect(byName(results, `port ${http} (http)`)).toMatchObject({ status: 'pass', detail: `${http} is free` });
  });

  it('fails on a taken http port with the http.port key in the fix, and passes once it is released', async () => {
    const holder = await listen('0.0.0.0');
    const http = portOf(holder);
    const [https] = await freePorts(1);
    const { target } = await scratch.target({ 'http.port': http, 'https.port': https });
    let results: CheckResult[];
    try {
      results = await portsCheck.run(stubContext({ target }));
    } finally {
      await close(holder);
    }
    expect(byName(results, `port ${http} (http)`)).toMatchObject({ status: 'fail', fix: 'stop it, or set another port in the config (http.port)' });
    expect(byName(results, `port ${http} (http)`).detail).toMatch(new RegExp(`^${http} is in use by .+ \\(pid ${process.pid}\\b`));
    const again = await portsCheck.run(stubContext({ target }));
    expect(byName(again, `port ${http} (http)`)).toMatchObject({ status: 'pass', detail: `${http} is free` });
  });
});

// 127.0.0.1:1514 is a fixed port that e2e Harbor stacks publish: hold it only under their lock
describe('doctor check: ports (harbor-log syslog, 127.0.0.1:1514)', () => {
  const scratch = useScratch();
  let release: () => Promise<void> = async () => {};
  beforeAll(async () => {
    release = await lockHarborNames();
  });
  afterAll(async () => {
    await release();
  });

  it('passes 1514 when free and fails naming the holder with the syslog fix when taken', async () => {
    const [http, https] = await freePorts(2);
    const { target } = await scratch.target({ 'http.port': http, 'https.port': https });
    expect(byName(await portsCheck.run(stubContext({ target })), 'port 1514 (harbor-log syslog)')).toEqual({
      check: 'port 1514 (harbor-log syslog)',
      status: 'pass',
      detail: '127.0.0.1:1514 is free',
      fix: '',
    });
    const holder = await listen('127.0.0.1', 1514);
    let results: CheckResult[];
    try {
      results = await portsCheck.run(stubContext({ target }));
    } finally {
      await close(holder);
    }
    const syslog = byName(results, 'port 1514 (harbor-log syslog)');
    expect(syslog.status).toBe('fail');
    expect(syslog.detail.startsWith(`127.0.0.1:1514 is in use by ${ownComm()} (pid ${process.pid}`)).toBe(true);
    expect(syslog.fix).toBe("stop it: Harbor's log container needs 127.0.0.1:1514");
  });
});
