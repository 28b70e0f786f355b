/**
 * Key types regctl can create, and key generation. Keys are made with Node's crypto (OpenSSL
 * underneath): it is an order of magnitude faster than node-forge's JavaScript RSA, and it runs on
 * the libuv thread pool, so two keys can be generated at once.
 */
import { generateKeyPair, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { RegctlError, ExitCode } from '../errors.js';

export const KEY_TYPES = ['rsa-4096', 'rsa-2048', 'ecdsa-p256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** The seed's choice: RSA-4096, understood by every client. */
export const DEFAULT_CA_KEY_TYPE: KeyType = 'rsa-4096';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const generate = promisify(generateKeyPair);

export async function generateKey(type: KeyType): Promise<KeyPair> {
  switch (type) {
    case 'rsa-4096':
      return generate('rsa', { modulusLength: 4096, publicExponent: 0x10001 });
    case 'rsa-2048':
      return generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    case 'ecdsa-p256':
      return generate('ec', { namedCurve: 'prime256v1' });
  }
}

export function parseKeyType(value: string | undefined, flag = '--key-type'): KeyType | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if ((KEY_TYPES as readonly string[]).includes(v)) return v as KeyType;
  throw new RegctlError('E_CERT_KEY_TYPE', `unknown key type '${value}' for ${flag}`, {
    fix: `use one of: ${KEY_TYPES.join(', ')}`,
    exitCode: ExitCode.invalidInput,
  });
}

/** The KeyType of an existing key, or undefined when regctl cannot create that kind of key. */
export function keyTypeOf(key: KeyObject): KeyType | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    if (details?.modulusLength === 4096) return 'rsa-4096';
    if (details?.modulusLength === 2048) return 'rsa-2048';
    return undefined;
  }
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  return undefined;
}

/** A short human description, e.g. "RSA-4096" or "ECDSA P-256". */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return `RSA-${details?.modulusLength ?? '?'}`;
  if (key.asymmetricKeyType === 'ec') {
    const curve = details?.namedCurve === 'prime256v1' ? 'P-256' : details?.namedCurve === 'secp384r1' ? 'P-384' : details?.namedCurve;
    return `ECDSA ${curve ?? '?'}`;
  }
  return (key.asymmetricKeyType ?? 'unknown').toUpperCase();
}

/** "RSA-4096", "ECDSA P-256": how messages name a key type. */
export function keyTypeLabel(type: KeyType): string {
  return type === 'ecdsa-p256' ? 'ECDSA P-256' : type.toUpperCase();
}

export function privateKeyToPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}
