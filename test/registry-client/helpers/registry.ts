/**
 * Debian's docker-registry (distribution 2.8) started natively on a free loopback port with a temp
 * config: filesystem storage, optional TLS, htpasswd or token auth.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort, start, waitFor, type Started } from '../../helpers/processes.js';

export interface RegistryOptions {
  dir: string;
  tls?: { cert: string; key: string };
  htpasswd?: string;
  /** storage.delete.enabled (default true); false makes DELETE answer 405 UNSUPPORTED */
  deleteEnabled?: boolean;
  token?: { realm: string; service: string; issuer: string; rootcertbundle: string };
}

export interface RunningRegistry extends Started {
  port: number;
  /** 127.0.0.1:PORT */
  name: string;
  storage: string;
}

export function requireBinary(bin: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`${bin} is not installed: apt-get install -y ${pkg} (scripts/test-setup.sh installs it)`);
  }
}

export async function startRegistry(o: RegistryOptions): Promise<RunningRegistry> {
  const port = await freePort();
  const storage = path.join(o.dir, 'storage');
  mkdirSync(storage, { recursive: true });
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storage }, delete: { enabled: o.deleteEnabled ?? true } },
    http: { addr: `127.0.0.1:${port}`, ...(o.tls ? { tls: { certificate: o.tls.cert, key: o.tls.key } } : {}) },
  };
  if (o.htpasswd) config['auth'] = { htpasswd: { realm: 'regctl-test', path: o.htpasswd } };
  if (o.token) config['auth'] = { token: o.token };
  const cfgPath = path.join(o.dir, 'config.yml');
  writeFileSync(cfgPath, stringify(config));
  const started = start('docker-registry', ['serve', cfgPath]);
  await waitFor(`docker-registry in ${o.dir}`, () => {
    if (started.proc.exitCode !== null) throw new Error(`exited with ${started.proc.exitCode}: ${started.log()}`);
    return probe(port, Boolean(o.tls));
  });
  return { ...started, port, name: `127.0.0.1:${port}`, storage };
}

/** Any HTTP answer on /v2/ means it is listening. */
function probe(port: number, tls: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).get({ host: '127.0.0.1', port, path: '/v2/', rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}
