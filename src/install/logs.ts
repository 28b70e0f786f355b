/**
 * `regctl logs [SERVICE] [-f]`: reads each service's log where it really is. Services on the
 * syslog driver are read from <log.local.location>/<tag>.log (also after their container is
 * gone); the others through `docker logs`.
 */
import { execa } from 'execa';
import { statSync } from 'node:fs';
import { RegctlError, ExitCode } from '../errors.js';
import { projectContainers } from '../docker/containers.js';
import { logSourceOf, syslogSource, tailFile, followFile, describeLogSource, type LogSource } from '../docker/logs.js';
import type { Stack } from './stack.js';

export interface LogTarget {
  service: string;
  source: LogSource;
}

/** SERVICE may be a compose service (core) or a container name (harbor-core). */
export async function logTargets(stack: Stack, service?: string): Promise<LogTarget[]> {
  const services = service ? stack.services.filter((s) => s.service === service || s.containerName === service) : stack.services;
  if (service && !services.length) {
    throw new RegctlError('E_NO_SUCH_SERVICE', `no service or container named '${service}' in ${stack.target.composeFile}`, {
      exitCode: ExitCode.invalidInput,
      fix: `one of: ${stack.services.map((s) => s.service).join(', ')}`,
    });
  }
  const containers = await projectContainers(stack.cli, stack.target.projectName);
  return services.map((s) => {
    const c = containers.find((x) => x.service === s.service);
    if (c) return { service: s.service, source: logSourceOf(c, stack.logPlaces) };
    if (s.logDriver === 'syslog') return { service: s.service, source: syslogSource(s.logTag ?? s.service, stack.logPlaces) };
    return { service: s.service, source: { kind: 'gone', container: s.containerName || s.service } };
  });
}

export async function printLogs(
  stack: Pick<Stack, 'cli'>,
  targets: LogTarget[],
  opts: { tail: number; follow: boolean; print: (line: string) => void; warn: (line: string) => void; signal: AbortSignal },
): Promise<void> {
  const prefix = (t: LogTarget) => (targets.length > 1 ? `${t.service.padEnd(Math.max(...targets.map((x) => x.service.length)))} | ` : '');
  const followers: Promise<unknown>[] = [];
  for (const t of targets) {
    const p = prefix(t);
    if (t.source.kind === 'remote') {
      opts.warn(`${t.service}: ${t.source.detail}; regctl cannot read them here`);
      continue;
    }
    if (t.source.kind === 'gone') {
      opts.warn(`${t.service}: container ${t.source.container} does not exist (is the stack down?); its docker logs were removed with it`);
      continue;
    }
    if (t.source.kind === 'file') {
      const file = t.source.path;
      let size = 0;
      try {
        for (const l of await tailFile(file, opts.tail)) opts.print(p + l);
        size = statSync(file).size;
      } catch (err) {
        opts.warn(`${t.service}: no log yet at ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      if (opts.follow) followers.push(followFile(file, (l) => opts.print(p + l), opts.signal, size));
      continue;
    }
    const args = ['logs', '--tail', String(opts.tail), ...(opts.follow ? ['-f'] : []), t.source.container];
    const child = execa(stack.cli.bin, args, { env: stack.cli.env, extendEnv: false, reject: false, all: true, buffer: false, cancelSignal: opts.signal });
    const lines = (async () => {
      let partial = '';
      for await (const chunk of child.all!) {
        const text = partial + chunk.toString();
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        for (const l of parts) opts.print(p + l);
      }
      if (partial) opts.print(p + partial);
      const r = await child;
      if (r.exitCode && !opts.signal.aborted) opts.warn(`${t.service}: ${describeLogSource(t.source)} failed (exit ${r.exitCode})`);
    })();
    if (opts.follow) followers.push(lines);
    else await lines;
  }
  await Promise.all(followers);
}
