/** The real openssl binary, used to check what regctl writes and to craft bad certificates. */
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function openssl(args: string[], opts: { input?: string; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa('openssl', args, { reject: false, input: opts.input, cwd: opts.cwd, timeout: 60_000 });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export async function mustOpenssl(args: string[], opts: { input?: string; cwd?: string } = {}): Promise<string> {
  const r = await openssl(args, opts);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export const x509Text = (file: string) => mustOpenssl(['x509', '-in', file, '-noout', '-text']);

/** `openssl verify -CAfile ca [-untrusted chain] cert`: returns openssl's own verdict. */
export async function verify(caFile: string, certFile: string, untrusted?: string): Promise<{ ok: boolean; output: string }> {
  const r = await openssl(['verify', '-CAfile', caFile, ...(untrusted ? ['-untrusted', untrusted] : []), certFile]);
  return { ok: r.code === 0 && r.stdout.includes(': OK'), output: r.stdout + r.stderr };
}

/** SHA-256 of the DER public key, from the certificate and from the private key. */
export async function publicKeyDigests(certFile: string, keyFile: string): Promise<{ cert: string; key: string }> {
  const fromCert = await mustOpenssl(['x509', '-in', certFile, '-noout', '-pubkey']);
  const fromKey = await mustOpenssl(['pkey', '-in', keyFile, '-pubout']);
  return { cert: fromCert.trim(), key: fromKey.trim() };
}

/** notBefore/notAfter as openssl reads them. */
export async function dates(certFile: string): Promise<{ notBefore: Date; notAfter: Date }> {
  const out = await mustOpenssl(['x509', '-in', certFile, '-noout', '-startdate', '-enddate']);
  const get = (k: string) => new Date(new RegExp(`${k}=(.*)`).exec(out)![1]!.trim());
  return { notBefore: get('notBefore'), notAfter: get('notAfter') };
}

/** The text block of one extension from `x509 -text`, e.g. 'Subject Alternative Name'. */
export function extensionText(text: string, name: string): string | undefined {
  const m = new RegExp(`X509v3 ${name}:( critical)? *\\n\\s*(.*)`).exec(text);
  return m ? `${m[1] ? 'critical ' : ''}${m[2]!.trim()}` : undefined;
}

/**
 * A throw-away openssl CA for crafting certificates regctl would never make: `openssl ca` is the
 * only openssl 3.0 command that sets arbitrary start and end dates.
 */
export async function makeOpensslCa(dir: string, opts: { cn?: string; keyBits?: number; extraSubject?: string } = {}): Promise<{ cert: string; key: string; dir: string }> {
  await fs.mkdir(path.join(dir, 'newcerts'), { recursive: true });
  await fs.writeFile(path.join(dir, 'index.txt'), '');
  await fs.writeFile(path.join(dir, 'serial'), '1000\n');
  await fs.writeFile(
    path.join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = local',
      '[ local ]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/newcerts',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = anything',
      'unique_subject = no',
      'copy_extensions = none',
      '[ anything ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const cert = path.join(dir, 'ca.crt');
  const key = path.join(dir, 'ca.key');
  await mustOpenssl([
    'req', '-x509', '-newkey', `rsa:${opts.keyBits ?? 2048}`, '-nodes', '-keyout', key, '-out', cert, '-days', '3650',
    '-subj', `/CN=${opts.cn ?? 'Test Root CA'}${opts.extraSubject ?? ''}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { cert, key, dir };
}

export interface CraftOptions {
  ca: { cert: string; key: string; dir: string };
  out: string;
  cn: string;
  /** extension lines for the leaf, e.g. ['subjectAltName=DNS:a'] */
  ext?: string[];
  keyArgs?: string[];
  startdate?: string;
  enddate?: string;
  days?: number;
  md?: string;
  /** reuse an existing key instead of making one */
  key?: string;
}

/** A leaf signed by `ca` with exactly the given properties; returns cert and key paths. */
export async function craftLeaf(o: CraftOptions): Promise<{ cert: string; key: string }> {
  const key = o.key ?? `${o.out}.key`;
  const csr = `${o.out}.csr`;
  const extFile = `${o.out}.ext`;
  if (!o.key) await mustOpenssl(['genpkey', ...(o.keyArgs ?? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']), '-out', key]);
  await mustOpenssl(['req', '-new', '-key', key, '-subj', `/CN=${o.cn}`, '-out', csr]);
  await fs.writeFile(extFile, (o.ext ?? []).join('\n') + '\n');
  const cert = `${o.out}.crt`;
  const dates = o.startdate ? ['-startdate', o.startdate, '-enddate', o.enddate!] : ['-days', String(o.days ?? 90)];
  await mustOpenssl([
    'ca', '-batch', '-notext', '-config', path.join(o.ca.dir, 'ca.cnf'), '-cert', o.ca.cert, '-keyfile', o.ca.key,
    '-md', o.md ?? 'sha256', '-in', csr, '-out', cert, '-extfile', extFile, ...dates,
  ]);
  return { cert, key };
}
