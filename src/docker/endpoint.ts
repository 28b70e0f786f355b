/**
 * Where the docker CLI will connect, and why a connection fails, in words an operator can act on
 * (socket missing = daemon not running; EACCES = not in the docker group; TCP refused...).
 */
import { accessSync, constants, statSync } from 'node:fs';

export interface EngineEndpoint {
  /** e.g. unix:///var/run/docker.sock or tcp://10.0.0.5:2376 */
  url: string;
  /** where it came from: DOCKER_HOST, or the default socket */
  source: 'DOCKER_HOST' | 'default';
}

export function engineEndpoint(env: NodeJS.ProcessEnv): EngineEndpoint {
  const host = env.DOCKER_HOST?.trim();
  if (host) return { url: host, source: 'DOCKER_HOST' };
  return { url: 'unix:///var/run/docker.sock', source: 'default' };
}

export type SocketState = 'ok' | 'missing' | 'not-a-socket' | 'permission' | 'not-unix';

/** For unix sockets: does the socket exist, and may this user open it? */
export function socketState(ep: EngineEndpoint): { state: SocketState; path?: string } {
  if (!ep.url.startsWith('unix://')) return { state: 'not-unix' };
  const p = ep.url.slice('unix://'.length);
  try {
    const st = statSync(p);
    if (!st.isSocket()) return { state: 'not-a-socket', path: p };
  } catch {
    return { state: 'missing', path: p };
  }
  try {
    accessSync(p, constants.R_OK | constants.W_OK);
  } catch {
    return { state: 'permission', path: p };
  }
  return { state: 'ok', path: p };
}

/** Why the engine could not be reached, from the socket state and the CLI's error text. */
export function explainEngineFailure(ep: EngineEndpoint, stderr: string): { reason: string; fix: string } {
  const where = `${ep.url}${ep.source === 'DOCKER_HOST' ? ' (from DOCKER_HOST)' : ''}`;
  const sock = socketState(ep);
  if (sock.state === 'missing') {
    return {
      reason: `no Docker engine socket at ${sock.path}: the engine is not running`,
      fix: ep.source === 'DOCKER_HOST'
        ? 'start dockerd, or unset/correct DOCKER_HOST'
        : 'start the engine: `systemctl start docker` (or run dockerd)',
    };
  }
  if (sock.state === 'permission' || /permission denied/i.test(stderr)) {
    return {
      reason: `permission denied on ${where}`,
      fix: 'run regctl as root (sudo), or add your user to the docker group and log in again',
    };
  }
  if (sock.state === 'not-a-socket') {
    return { reason: `${sock.path} is not a socket`, fix: 'point DOCKER_HOST at the engine socket' };
  }
  if (/Is the docker daemon running|connection refused/i.test(stderr)) {
    return {
      reason: `the Docker engine at ${where} refuses connections: it is not running`,
      fix: ep.source === 'DOCKER_HOST' ? 'start the engine, or correct DOCKER_HOST' : 'start the engine: `systemctl start docker`',
    };
  }
  return { reason: `cannot reach the Docker engine at ${where}`, fix: 'check that dockerd is running and DOCKER_HOST is right' };
}
