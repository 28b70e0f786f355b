/**
 * The certs.d convention shared by Docker and containers/image: DIR/<host[:port]>/ca.crt, where
 * every *.crt is a CA and a *.cert + *.key pair is a client certificate. regctl writes only ca.crt
 * and points out anything in the directory that will confuse clients.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { underRoot } from '../util/root.js';
import type { PlannedFile, TrustRequest } from './types.js';

export const CA_FILE_MODE = 0o644;

export function certsDirFiles(baseDir: string, req: TrustRequest): PlannedFile[] {
  return req.registry.dirNames.map((dir) => ({ path: path.posix.join(baseDir, dir, 'ca.crt'), content: req.caPem, mode: CA_FILE_MODE }));
}

/** Warnings about files already in the registry's certs.d directories (spec §2 pitfalls). */
export async function strayFileWarnings(baseDir: string, req: TrustRequest): Promise<string[]> {
  const out: string[] = [];
  for (const dir of req.registry.dirNames) {
    const logical = path.posix.join(baseDir, dir);
    const names = await fs.readdir(underRoot(req.root, logical)).catch(() => [] as string[]);
    for (const name of names) {
      if (name.endsWith('.key')) {
        out.push(`${logical}/${name} is a private key in a client trust directory: clients present a .cert/.key pair as a client certificate, and a server's key must never be on clients; remove it unless it is a deliberate client certificate`);
      } else if (name.endsWith('.cert')) {
        out.push(`${logical}/${name} is read as a client certificate (.cert), not as a CA; CA files must end in .crt`);
      } else if (!['ca.crt', 'hosts.toml'].includes(name) && !name.endsWith('.crt')) {
        out.push(`${logical}/${name} is ignored by clients (only *.crt, *.cert and *.key are read)`);
      }
    }
  }
  return out;
}
