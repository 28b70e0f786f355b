// Shared by the bench scripts that run a Harbor stack: a workspace with an openssl CA and leaf,
// free ports and a harbor.yml from the bundled example pointing everything into a temp dir.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen({ host: '0.0.0.0', port: 20000 + Math.floor(Math.random() * 12000), exclusive: true }, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', () => resolve(freePort()));
  });
}

export async function workspace(name = 'install') {
  const dir = mkdtempSync(path.join(tmpdir(), `regctl-bench-${name}-`));
  const certs = path.join(dir, 'certs');
  mkdirSync(certs);
  const host = 'reg.bench.test';
  sh('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${certs}/ca.key`, '-out', `${certs}/ca.crt`, '-days', '30', '-subj', '/CN=bench CA', '-addext', 'basicConstraints=critical,CA:TRUE']);
  sh('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${certs}/server.key`, '-out', `${certs}/server.csr`, '-subj', `/CN=${host}`]);
  writeFileSync(`${certs}/ext`, `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  sh('openssl', ['x509', '-req', '-in', `${certs}/server.csr`, '-CA', `${certs}/ca.crt`, '-CAkey', `${certs}/ca.key`, '-CAcreateserial', '-out', `${certs}/server.crt`, '-days', '30', '-extfile', `${certs}/ext`]);
  const doc = parseDocument(readFileSync(path.join(repo, 'examples/harbor.yml'), 'utf8'));
  const httpPort = await freePort();
  let httpsPort = await freePort();
  while (httpsPort === httpPort) httpsPort = await freePort();
  const edits = {
    hostname: host,
    'http.port': httpPort,
    'https.port': httpsPort,
    'https.certificate': `${certs}/server.crt`,
    'https.private_key': `${certs}/server.key`,
    'https.ca_file': `${certs}/ca.crt`,
    harbor_admin_password: 'Bench-admin-0123456789',
    'database.password': 'Bench-db-0123456789',
    data_volume: path.join(dir, 'data'),
    'log.local.location': path.join(dir, 'log'),
  };
  for (const [k, v] of Object.entries(edits)) doc.setIn(k.split('.'), v);
  writeFileSync(path.join(dir, 'harbor.yml'), doc.toString());
  return dir;
}

