import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createCa } from '../../src/cert/ca.js';

/** Every file under dir (relative paths), for "wrote exactly this" assertions. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string) {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  }
  await walk(dir);
  return out.sort();
}

export async function listDirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string) {
    for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (!e.isDirectory()) continue;
      out.push(path.relative(dir, path.join(d, e.name)));
      await walk(path.join(d, e.name));
    }
  }
  await walk(dir);
  return out.sort();
}

/** A CA on disk (ca.crt + ca.key) for trust tests. */
export async function caOnDisk(dir: string): Promise<{ certPath: string; keyPath: string; certPem: string; keyPem: string }> {
  const ca = await createCa({ commonName: 'regctl CA for trust-test', keyType: 'ecdsa-p256' });
  await fs.mkdir(dir, { recursive: true });
  const certPath = path.join(dir, 'ca.crt');
  const keyPath = path.join(dir, 'ca.key');
  await fs.writeFile(certPath, ca.certPem);
  await fs.writeFile(keyPath, ca.keyPem, { mode: 0o600 });
  return { certPath, keyPath, certPem: ca.certPem, keyPem: ca.keyPem };
}

/** No file under dir may hold a private key. */
export async function filesWithPrivateKeys(dir: string): Promise<string[]> {
  const hits: string[] = [];
  for (const f of await listFiles(dir)) {
    if ((await fs.readFile(path.join(dir, f), 'latin1')).includes('PRIVATE KEY')) hits.push(f);
  }
  return hits;
}
