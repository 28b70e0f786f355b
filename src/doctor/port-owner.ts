/**
 * Is a TCP port free, and if not, who holds it. Freeness is tested by binding the port (the same
 * thing docker-proxy will do); the holder is found through /proc/net/tcp{,6} (listening socket ->
 * inode) and /proc/<pid>/fd (inode -> process), which works for root and for one's own processes.
 */
import net from 'node:net';
import { promises as fs } from 'node:fs';

export type BindResult = 'free' | 'in-use' | 'no-permission' | 'unavailable';

export function tryBind(host: string, port: number): Promise<BindResult> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve('in-use');
      else if (err.code === 'EACCES') resolve('no-permission');
      else resolve('unavailable');
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

export interface PortHolder {
  pid: number;
  /** /proc/<pid>/comm */
  command: string;
  /** /proc/<pid>/cmdline, arguments joined by spaces (may be long) */
  cmdline: string;
}

/** Inodes of sockets listening on `port` (any address). */
export async function listeningInodes(port: number, procRoot = '/proc'): Promise<string[]> {
  const inodes: string[] = [];
  for (const table of ['net/tcp', 'net/tcp6']) {
    let text: string;
    try {
      text = await fs.readFile(`${procRoot}/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = cols[1]!;
      const state = cols[3];
      const localPort = parseInt(local.split(':')[1] ?? '', 16);
      if (state === '0A' && localPort === port) inodes.push(cols[9]!);
    }
  }
  return inodes;
}

/** The processes holding any of the given socket inodes (those /proc lets us see). */
export async function socketHolders(inodes: string[], procRoot = '/proc'): Promise<PortHolder[]> {
  if (!inodes.length) return [];
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  const holders: PortHolder[] = [];
  let pids: string[];
  try {
    pids = (await fs.readdir(procRoot)).filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await fs.readdir(`${procRoot}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = await fs.readlink(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!wanted.has(link)) continue;
      const command = (await fs.readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => '?')).trim();
      const cmdline = (await fs.readFile(`${procRoot}/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean).join(' ');
      holders.push({ pid: Number(pid), command, cmdline });
      break;
    }
  }
  return holders;
}

export async function portHolders(port: number): Promise<PortHolder[]> {
  return socketHolders(await listeningInodes(port));
}
