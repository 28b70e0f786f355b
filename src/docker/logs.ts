/**
 * Where a container's logs are and how to read them. Harbor sends every service except `log`
 * through the syslog driver to the harbor-log container, which writes
 * <log.local.location>/<tag>.log on the host; `docker logs` cannot read those. regctl picks the
 * right source per container: the file for the syslog driver, `docker logs` otherwise.
 */
import { execa } from 'execa';
import { promises as fs, createReadStream } from 'node:fs';
import path from 'node:path';
import type { DockerCli } from './cli.js';
import type { ContainerInfo } from './containers.js';

export type LogSource =
  | { kind: 'docker'; container: string }
  | { kind: 'file'; path: string }
  | { kind: 'remote'; detail: string }
  /** docker-driver logs of a container that no longer exists: they went with it */
  | { kind: 'gone'; container: string };

export interface LogPlaces {
  /** host directory harbor-log writes to (log.local.location, --root applied) */
  localDir: string;
  /** log.external_endpoint, when logs are forwarded instead of written locally */
  external?: string;
}

/** The syslog tag compose gave the container (Harbor sets tag: <service>). */
function syslogTag(c: ContainerInfo): string {
  const tag = c.logOptions.tag;
  if (tag && !tag.includes('{{')) return tag;
  return c.service || c.name;
}

export function logSourceOf(c: ContainerInfo, places: LogPlaces): LogSource {
  if (c.logDriver !== 'syslog') return { kind: 'docker', container: c.name };
  return syslogSource(syslogTag(c), places);
}

/** Where harbor-log puts what arrives with `tag` (also for a service whose container is gone). */
export function syslogSource(tag: string, places: LogPlaces): LogSource {
  if (places.external) return { kind: 'remote', detail: `forwarded by harbor-log to ${places.external}` };
  return { kind: 'file', path: path.join(places.localDir, `${tag}.log`) };
}

export function describeLogSource(s: LogSource): string {
  if (s.kind === 'docker') return `docker logs ${s.container}`;
  if (s.kind === 'file') return s.path;
  if (s.kind === 'gone') return `container ${s.container} (removed)`;
  return s.detail;
}

/** The last `n` lines of a file (reads only its tail). */
export async function tailFile(file: string, n: number): Promise<string[]> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    let start = size;
    let text = '';
    const chunk = 64 * 1024;
    while (start > 0 && text.split('\n').length <= n + 1) {
      const from = Math.max(0, start - chunk);
      const buf = Buffer.alloc(start - from);
      await fh.read(buf, 0, buf.length, from);
      text = buf.toString('utf8') + text;
      start = from;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-n);
  } finally {
    await fh.close();
  }
}

/** Last `n` lines of a container's log, from wherever they are. Never throws: says why instead. */
export async function lastLogLines(cli: DockerCli, c: ContainerInfo, places: LogPlaces, n: number): Promise<{ source: LogSource; lines: string[]; error?: string }> {
  const source = logSourceOf(c, places);
  if (source.kind === 'remote') return { source, lines: [], error: `logs are not kept locally (${source.detail})` };
  if (source.kind === 'file') {
    try {
      return { source, lines: await tailFile(source.path, n) };
    } catch (err) {
      return { source, lines: [], error: `cannot read ${source.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
  }
  const r = await execa(cli.bin, ['logs', '--tail', String(n), c.id], { env: cli.env, extendEnv: false, reject: false, all: true, timeout: 30_000 });
  if (r.exitCode !== 0) return { source, lines: [], error: String(r.stderr || r.all || '').trim() };
  const lines = String(r.all ?? '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { source, lines };
}

/**
 * Follows a file like `tail -F`: prints what is appended, starts over when the file shrinks
 * (harbor-log's logrotate uses copytruncate), waits when it does not exist yet.
 */
export async function followFile(file: string, onLine: (line: string) => void, signal: AbortSignal, fromSize?: number): Promise<void> {
  let pos = fromSize ?? 0;
  let partial = '';
  while (!signal.aborted) {
    let size = -1;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      size = -1;
    }
    if (size >= 0 && size < pos) pos = 0;
    if (size > pos) {
      const text = await new Promise<string>((resolve, reject) => {
        let acc = '';
        createReadStream(file, { start: pos, end: size - 1, encoding: 'utf8' })
          .on('data', (d) => (acc += d))
          .on('end', () => resolve(acc))
          .on('error', reject);
      });
      pos = size;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
