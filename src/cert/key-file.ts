/** Reading private keys from PEM files, with errors a user can act on. */
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { RegctlError } from '../errors.js';
import { isPrivateKeyLabel, pemBlocks } from './pem.js';

export type KeyReadResult =
  | { ok: true; key: KeyObject }
  | { ok: false; code: 'KEY_UNREADABLE' | 'KEY_NOT_PEM' | 'KEY_ENCRYPTED' | 'KEY_INVALID'; message: string; fix: string };

export async function readPrivateKey(file: string): Promise<KeyReadResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, code: 'KEY_UNREADABLE', message: `cannot read key ${file}: ${(err as Error).message}`, fix: 'check the path and that you may read it (keys are often root-only)' };
  }
  return parsePrivateKey(text, file);
}

export function parsePrivateKey(text: string, file: string): KeyReadResult {
  const block = pemBlocks(text).find((b) => isPrivateKeyLabel(b.label));
  if (!block) {
    return { ok: false, code: 'KEY_NOT_PEM', message: `${file} holds no PEM private key`, fix: 'give the server key in PEM form (-----BEGIN PRIVATE KEY-----); convert DER keys with: openssl pkey -inform der -in KEY -out key.pem' };
  }
  if (block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(block.text)) {
    return { ok: false, code: 'KEY_ENCRYPTED', message: `${file} is encrypted with a passphrase; servers (nginx, the registry) cannot load it unattended`, fix: `decrypt it: openssl pkey -in ${file} -out ${file}.plain, then chmod 600 the result` };
  }
  try {
    return { ok: true, key: createPrivateKey(block.text) };
  } catch (err) {
    return { ok: false, code: 'KEY_INVALID', message: `${file}: private key cannot be parsed (${(err as Error).message})`, fix: 'check that the file is a complete PEM key and was not truncated or edited' };
  }
}

/** Throws a RegctlError for callers that need the key (issuing, renewing). */
export async function loadPrivateKey(file: string, codePrefix: string): Promise<KeyObject> {
  const r = await readPrivateKey(file);
  if (r.ok) return r.key;
  throw new RegctlError(`${codePrefix}_${r.code}`, r.message, { fix: r.fix, file });
}

export function sameKey(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const a = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const b = publicKey.export({ type: 'spki', format: 'der' });
  return a.equals(b);
}
