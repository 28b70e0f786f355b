/** Issuing and renewing server certificates as files (cert 0644, key 0600), never half-written. */
import { promises as fs } from 'node:fs';
import { RegctlError, ExitCode } from '../errors.js';
import type { SigningCa } from './ca.js';
import { parseCertificate } from './certificate-info.js';
import { backupFile, CERT_MODE, exists, KEY_MODE, writeFilesAtomically } from './files.js';
import { KeyPair, KeyType, keyTypeOf } from './key-types.js';
import { readPrivateKey } from './key-file.js';
import { issueLeaf, IssuedLeaf } from './leaf.js';
import { pemBlocks } from './pem.js';
import { issuedBy } from './relations.js';
import { parseSans, SanEntry } from './san.js';

export interface IssueToFilesOptions {
  ca: SigningCa;
  sans: SanEntry[];
  certPath: string;
  keyPath: string;
  days?: number;
  keyType?: KeyType;
  now?: Date;
  keyPair?: KeyPair;
}

/** Issues a new leaf; refuses to replace existing files (that is what renew is for). */
export async function issueToFiles(opts: IssueToFilesOptions): Promise<IssuedLeaf> {
  for (const p of [opts.certPath, opts.keyPath]) {
    if (await exists(p)) {
      throw new RegctlError('E_CERT_EXISTS', `${p} already exists; nothing was written`, {
        fix: `to replace a certificate from the same CA use: regctl cert renew --ca DIR --cert ${opts.certPath} --key ${opts.keyPath}; or choose other --cert/--key paths`,
        file: p,
        exitCode: ExitCode.invalidInput,
      });
    }
  }
  const leaf = await issueLeaf(opts);
  await writeFilesAtomically([
    { path: opts.keyPath, content: leaf.keyPem, mode: KEY_MODE },
    { path: opts.certPath, content: leaf.certPem, mode: CERT_MODE },
  ]);
  return leaf;
}

export interface RenewResult extends IssuedLeaf {
  sans: SanEntry[];
  backups: string[];
}

/**
 * A new leaf with the same names from the same CA, so clients that trust the CA need no change.
 * The key is new too (same type as before); the old pair is kept as .bak-<time>.
 */
export async function renewFiles(opts: { ca: SigningCa; certPath: string; keyPath: string; days?: number; now?: Date }): Promise<RenewResult> {
  const text = await fs.readFile(opts.certPath, 'utf8').catch((err: Error) => {
    throw new RegctlError('E_RENEW_CERT_UNREADABLE', `cannot read ${opts.certPath}: ${err.message}`, { fix: 'renew needs the current certificate to copy its names', file: opts.certPath });
  });
  const block = pemBlocks(text).find((b) => b.label === 'CERTIFICATE');
  let old;
  try {
    if (!block) throw new Error('no PEM certificate in the file');
    old = parseCertificate(block.der);
  } catch (err) {
    throw new RegctlError('E_RENEW_CERT_INVALID', `${opts.certPath} is not a readable certificate (${(err as Error).message})`, { fix: 'issue a new one with: regctl cert issue --ca DIR --san ...', file: opts.certPath });
  }
  if (!issuedBy(old, opts.ca.cert)) {
    throw new RegctlError('E_RENEW_OTHER_CA', `${opts.certPath} was not issued by this CA (its issuer is '${old.issuerCn ?? 'unknown'}'); clients would need to trust a different CA`, {
      fix: 'pass the CA that issued it as --ca, or issue a fresh certificate with: regctl cert issue',
      file: opts.certPath,
    });
  }
  const names = old.san ? [...old.san.dns, ...old.san.ip] : [];
  if (names.length === 0) {
    throw new RegctlError('E_RENEW_NO_SAN', `${opts.certPath} has no SAN to carry over`, { fix: 'issue a new certificate with explicit names: regctl cert issue --ca DIR --san ...', file: opts.certPath });
  }
  // keep the order the certificate had: its CN (the first SAN when regctl issued it) first
  const cn = old.subjectCn;
  names.sort((a, b) => (a === cn ? -1 : b === cn ? 1 : 0));
  const sans = parseSans(names);
  const oldKey = (await exists(opts.keyPath)) ? await readPrivateKey(opts.keyPath) : undefined;
  const keyType = (oldKey?.ok ? keyTypeOf(oldKey.key) : undefined) ?? keyTypeOf(old.publicKey);

  const leaf = await issueLeaf({ ca: opts.ca, sans, days: opts.days, keyType, now: opts.now });
  const now = opts.now ?? new Date();
  const backups: string[] = [];
  for (const p of [opts.certPath, opts.keyPath]) if (await exists(p)) backups.push(await backupFile(p, now));
  await writeFilesAtomically([
    { path: opts.keyPath, content: leaf.keyPem, mode: KEY_MODE },
    { path: opts.certPath, content: leaf.certPem, mode: CERT_MODE },
  ]);
  return { ...leaf, sans, backups };
}
