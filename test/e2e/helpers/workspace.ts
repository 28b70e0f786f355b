/**
 * An e2e installation in a temp dir: its own CA and server certificate (openssl), a harbor.yml
 * (from examples/harbor.yml) on free high ports with data_volume and the log location inside the
 * temp dir, and helpers to fingerprint trees so tests can prove that nothing changed.
 */
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';
import { exampleYaml } from '../../helpers/workspace.js';
import { unmanagedTempDirSync } from '../../helpers/tmp.js';
import { regctl } from '../../helpers/cli.js';

export interface E2eWorkspace {
  dir: string;
  configPath: string;
  hostname: string;
  httpPort: number;
  httpsPort: number;
  caFile: string;
  certFile: string;
  keyFile: string;
  dataDir: string;
  logDir: string;
}

/** whether `port` is free on every address (0.0.0.0), as a published port needs it */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '0.0.0.0', port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A free TCP port in 20000-32000 (below Linux's ephemeral range, away from well-known ports). */
export async function freePort(avoid: number[] = []): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 20000 + Math.floor(Math.random() * 12000);
    if (!avoid.includes(p) && (await canBind(p))) return p;
  }
  throw new Error('no free port found in 20000-32000');
}

/** CA + leaf for `hostname` (a DNS name or an IPv4 address) and 127.0.0.1, made with openssl (RSA 2048, SHA-256, serverAuth). */
export async function issueCertificates(dir: string, hostname: string): Promise<{ ca: string; cert: string; key: string }> {
  await fs.mkdir(dir, { recursive: true });
  const ca = path.join(dir, 'ca.crt');
  const caKey = path.join(dir, 'ca.key');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.crt');
  const ext = path.join(dir, 'server.ext');
  await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '120', '-subj', '/CN=regctl e2e test CA', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await execa('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${hostname}`]);
  const san = net.isIPv4(hostname) ? `IP:${hostname}` : `DNS:${hostname}`;
  writeFileSync(ext, `subjectAltName=${san},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n`);
  await execa('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '90', '-sha256', '-extfile', ext]);
  return { ca, cert, key };
}

/**
 * `opts.hostname`: the name Harbor is configured with (default reg.e2e.test, which only clients
 * given --resolve can reach). Tests where dockerd itself connects (docker login/push) use the
 * host's non-loopback address (hostAddress()): dockerd resolves names through the host's
 * /etc/hosts, and it treats 127.0.0.0/8 registries as insecure (no TLS verification).
 */
export async function makeE2eWorkspace(prefix: string, edits: Record<string, unknown> = {}, opts: { hostname?: string } = {}): Promise<E2eWorkspace> {
  const dir = unmanagedTempDirSync(prefix); // the caller removes ws.dir
  const hostname = opts.hostname ?? 'reg.e2e.test';
  const httpPort = await freePort();
  const httpsPort = await freePort([httpPort]);
  const certs = await issueCertificates(path.join(dir, 'certs'), hostname);
  const dataDir = path.join(dir, 'data');
  const logDir = path.join(dir, 'log');
  const configPath = path.join(dir, 'harbor.yml');
  writeFileSync(
    configPath,
    exampleYaml({
      hostname,
      'http.port': httpPort,
      'https.port': httpsPort,
      'https.certificate': certs.cert,
      'https.private_key': certs.key,
      'https.ca_file': certs.ca,
      // random, never printed: tests check that they do not appear in any output
      harbor_admin_password: `A${randomBytes(12).toString('hex')}`,
      'database.password': `D${randomBytes(12).toString('hex')}`,
      data_volume: dataDir,
      'log.local.location': logDir,
      ...edits,
    }),
  );
  return { dir, configPath, hostname, httpPort, httpsPort, caFile: certs.ca, certFile: certs.cert, keyFile: certs.key, dataDir, logDir };
}

/**
 * An IPv4 address of this host that is not loopback and not a Docker bridge (eth0's, typically);
 * dockerd and the containers reach the published ports there. Falls back to docker0's address.
 */
export function hostAddress(): string {
  const all = Object.entries(os.networkInterfaces()).flatMap(([name, addrs]) => (addrs ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, address: a.address })));
  const outside = all.find((a) => !/^(docker|br-|veth)/.test(a.name));
  const chosen = outside ?? all.find((a) => a.name === 'docker0');
  if (!chosen) throw new Error('this host has no non-loopback IPv4 address for dockerd to reach the test registry on');
  return chosen.address;
}

/** sha256 over a tree: relative paths, modes, owners and contents (symlinks by target). */
export async function treeHash(dir: string, skip: (rel: string) => boolean = () => false): Promise<string> {
  const h = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const r = path.join(rel, e.name);
      if (skip(r)) continue;
      const full = path.join(dir, r);
      const st = await fs.lstat(full);
      h.update(`${r}\0${st.mode}\0${st.uid}\0${st.gid}\0`);
      if (e.isDirectory()) await walk(r);
      else if (e.isSymbolicLink()) h.update(await fs.readlink(full));
      else if (e.isFile()) h.update(await fs.readFile(full));
    }
  };
  await walk('');
  return h.digest('hex');
}

/** Values from an env file (e.g. common/config/core/env); for tests that need the registry credential. */
export async function envFile(file: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** `docker inspect` state of Harbor's containers of a project: name -> "running healthy". */
export async function containerStates(project: string): Promise<Record<string, string>> {
  const ids = (await execa('docker', ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
  if (!ids.length) return {};
  const r = await execa('docker', ['inspect', '-f', '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', ...ids]);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [name, ...rest] = l.trim().split(' ');
        return [name!.replace(/^\//, ''), rest.join(' ').trim()];
      }),
  );
}

/** compose's project name for the workspace (its directory name, as regctl derives it). */
export function projectOf(ws: E2eWorkspace): string {
  return path.basename(ws.dir).toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

/** an e2e suite's afterAll: its stack down and its workspace removed, when beforeAll got as far as making one */
export async function removeE2eWorkspace(ws: E2eWorkspace | undefined): Promise<void> {
  if (!ws) return;
  await regctl(['down', '--config', ws.configPath]);
  await fs.rm(ws.dir, { recursive: true, force: true });
}
