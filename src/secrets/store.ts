/**
 * Loads the secrets of an installation from data_volume/secret/, creating only what is missing.
 * Nothing is written here: new secrets become rendered files (src/render/components/secrets.ts)
 * and are written atomically together with the rest of the tree.
 *
 * Harbor keeps only the secretkey and the token pair and regenerates the rest on every run;
 * regctl keeps those too (secret/regctl/secrets.json), so an unchanged config re-renders
 * byte-identical files and no container needs a restart.
 */
import { readRegularText, isUnsafeFileError } from '../util/safe-read.js';
import path from 'node:path';
import { RegctlError, ExitCode } from '../errors.js';
import { randomAlnum } from './random.js';
import { createTokenPair } from './token-pair.js';
import { REGISTRY_USER_NAME, type NotarySecrets, type Secrets } from './types.js';
import { htpasswdLine } from '../htpasswd/line.js';
import { createNotarySignerPair, signerCertHasSan } from './notary-signer.js';

export const SECRET_PATHS = {
  secretKey: 'secret/keys/secretkey',
  tokenKey: 'secret/core/private_key.pem',
  tokenCert: 'secret/registry/root.crt',
  kept: 'secret/regctl/secrets.json',
  notaryAlias: 'secret/keys/defaultalias',
  notarySignerCa: 'secret/notary/notary-signer-ca.crt',
  notarySignerCert: 'secret/notary/notary-signer.crt',
  notarySignerKey: 'secret/notary/notary-signer.key',
} as const;

type KeptSecrets = Pick<
  Secrets,
  'coreSecret' | 'jobserviceSecret' | 'registryPassword' | 'registryHtpasswd' | 'csrfKey' | 'robotScannerNamePrefix'
>;

export interface LoadedSecrets {
  secrets: Secrets;
  /** names of the values created in this run (for the log; never the values) */
  created: string[];
}

/** A secret file regctl wrote: never through a link, never a FIFO or device (data_volume is shared with containers). */
async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readRegularText(file, { what: 'a kept secret' });
  } catch (e) {
    // a link or special file, or a system error that says what it is (a file where a directory should be)
    if (isUnsafeFileError(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') throw e;
    throw new RegctlError('E_SECRET_READ', `cannot read ${file}: ${(e as Error).message}`, {
      fix: 'run regctl as root (the secret files are owned by uid 10000 and mode 0600)',
    });
  }
}

/** secretkey: AES key for everything core stores encrypted; never regenerated */
async function loadSecretKey(dataDir: string, created: string[]): Promise<string> {
  const at = (rel: string) => path.join(dataDir, rel);
  let secretKey = await readIfExists(at(SECRET_PATHS.secretKey));
  if (secretKey === undefined) {
    const legacy = await readIfExists(path.join(dataDir, 'secretkey')); // pre-1.8 location
    secretKey = legacy ?? randomAlnum(16);
    created.push(legacy === undefined ? 'secretkey' : 'secretkey (moved from data_volume/secretkey)');
  }
  if (secretKey.length !== 16) {
    throw new RegctlError(
      'E_SECRETKEY_LENGTH',
      `${at(SECRET_PATHS.secretKey)} holds ${secretKey.length} characters; Harbor's secret key must be exactly 16 (a trailing newline counts)`,
      {
        exitCode: ExitCode.invalidInput,
        fix: 'restore the original file from a backup (or strip a trailing newline: `truncate -s 16 FILE`); regctl never replaces it, since every value core encrypted with it would become unreadable',
      },
    );
  }
  return secretKey;
}

/** the token-signing pair: kept when both halves exist, adopted from a pre-1.9 common/config, else made */
async function loadTokenPair(dataDir: string, installDir: string, now: Date, onSlowStep: (what: string) => void, created: string[]): Promise<{ tokenPrivateKeyPem: string; tokenRootCertPem: string }> {
  const at = (rel: string) => path.join(dataDir, rel);
  let tokenPrivateKeyPem = await readIfExists(at(SECRET_PATHS.tokenKey));
  let tokenRootCertPem = await readIfExists(at(SECRET_PATHS.tokenCert));
  if (tokenPrivateKeyPem === undefined || tokenRootCertPem === undefined) {
    const oldKey = await readIfExists(path.join(installDir, 'common/config/core/private_key.pem'));
    const oldCert = await readIfExists(path.join(installDir, 'common/config/registry/root.crt'));
    if (oldKey !== undefined && oldCert !== undefined) {
      tokenPrivateKeyPem = oldKey;
      tokenRootCertPem = oldCert;
      created.push('token signing pair (adopted from common/config)');
    } else {
      onSlowStep('generating the token-signing key pair (RSA-4096, first run only)');
      const pair = await createTokenPair(now);
      tokenPrivateKeyPem = pair.privateKeyPem;
      tokenRootCertPem = pair.certificatePem;
      created.push('token signing pair');
    }
  }
  return { tokenPrivateKeyPem, tokenRootCertPem };
}

/** the values Harbor regenerates per run; regctl keeps them */
async function loadKeptSecrets(dataDir: string, created: string[]): Promise<KeptSecrets> {
  const at = (rel: string) => path.join(dataDir, rel);
  const keptText = await readIfExists(at(SECRET_PATHS.kept));
  let kept: Partial<KeptSecrets> = {};
  if (keptText !== undefined) {
    try {
      kept = JSON.parse(keptText) as Partial<KeptSecrets>;
    } catch {
      created.push('internal secrets (previous file was unreadable)');
      kept = {};
    }
  }
  const fill = <K extends keyof KeptSecrets>(k: K, make: () => KeptSecrets[K], label: string): KeptSecrets[K] => {
    const v = kept[k];
    if (typeof v === 'string' && v.length > 0) return v;
    created.push(label);
    return make();
  };
  const coreSecret = fill('coreSecret', () => randomAlnum(16), 'core secret');
  const jobserviceSecret = fill('jobserviceSecret', () => randomAlnum(16), 'jobservice secret');
  const registryPassword = fill('registryPassword', () => randomAlnum(32), 'registry credential');
  let registryHtpasswd = fill('registryHtpasswd', () => htpasswdLine(REGISTRY_USER_NAME, registryPassword), 'registry htpasswd');
  // both values live in the same file, written together: a full bcrypt verify on every run would
  // cost ~20 ms for nothing, so only the line's shape is checked here (tests verify the hash)
  if (!registryHtpasswd.startsWith(`${REGISTRY_USER_NAME}:$2`)) {
    registryHtpasswd = htpasswdLine(REGISTRY_USER_NAME, registryPassword);
    created.push('registry htpasswd (the kept line was malformed)');
  }
  const csrfKey = fill('csrfKey', () => randomAlnum(32), 'CSRF key');
  const robotScannerNamePrefix = fill('robotScannerNamePrefix', () => randomAlnum(8), 'scanner robot prefix');
  return { coreSecret, jobserviceSecret, registryPassword, registryHtpasswd, csrfKey, robotScannerNamePrefix };
}

/**
 * @param dataDir the real (root-prefixed) data_volume directory
 * @param installDir the real install dir (a pre-1.8 token pair under common/config is adopted)
 */
export async function loadOrCreateSecrets(
  dataDir: string,
  installDir: string,
  now = new Date(),
  /** told before a slow step (the RSA-4096 token key), so the CLI can show progress */
  onSlowStep: (what: string) => void = () => undefined,
  opts: { withNotary?: boolean } = {},
): Promise<LoadedSecrets> {
  const created: string[] = [];
  const secretKey = await loadSecretKey(dataDir, created);
  const { tokenPrivateKeyPem, tokenRootCertPem } = await loadTokenPair(dataDir, installDir, now, onSlowStep, created);
  const kept = await loadKeptSecrets(dataDir, created);
  const notary = opts.withNotary ? await loadOrCreateNotarySecrets(dataDir, installDir, now, onSlowStep, created) : undefined;

  return {
    secrets: {
      secretKey,
      tokenPrivateKeyPem,
      tokenRootCertPem,
      ...kept,
      ...(notary ? { notary } : {}),
    },
    created,
  };
}

/**
 * Notary's alias and signer pair, in the order Harbor's utils/notary.py decides (v2.8.6): a signer
 * certificate without a SAN is dropped; all three files present are kept; else the pre-1.9 copies in
 * common/config are adopted; else a new pair is made. The alias (secret/keys/defaultalias) is kept
 * once made: the signer's stored keys are encrypted with it.
 */
async function loadOrCreateNotarySecrets(dataDir: string, installDir: string, now: Date, onSlowStep: (what: string) => void, created: string[]): Promise<NotarySecrets> {
  const at = (rel: string) => path.join(dataDir, rel);
  let defaultAlias = await readIfExists(at(SECRET_PATHS.notaryAlias));
  if (defaultAlias === undefined || defaultAlias.length === 0) {
    defaultAlias = randomAlnum(8);
    created.push('notary signer alias');
  }
  const read3 = async (ca: string, cert: string, key: string) => {
    const [c, l, k] = await Promise.all([readIfExists(ca), readIfExists(cert), readIfExists(key)]);
    return c !== undefined && l !== undefined && k !== undefined && signerCertHasSan(l) ? { signerCaCertPem: c, signerCertPem: l, signerKeyPem: k } : undefined;
  };
  let pair = await read3(at(SECRET_PATHS.notarySignerCa), at(SECRET_PATHS.notarySignerCert), at(SECRET_PATHS.notarySignerKey));
  if (!pair) {
    const legacy = (name: string) => path.join(installDir, 'common/config', name);
    pair = await read3(legacy('notary-signer-ca.crt'), legacy('notary-signer.crt'), legacy('notary-signer.key'));
    if (pair) created.push('notary signer certificate (adopted from common/config)');
  }
  if (!pair) {
    onSlowStep('generating the notary-signer CA and certificate (RSA-4096, first run with --with-notary only)');
    const made = await createNotarySignerPair(now);
    pair = { signerCaCertPem: made.caCertPem, signerCertPem: made.certPem, signerKeyPem: made.keyPem };
    created.push('notary signer certificate');
  }
  return { defaultAlias, ...pair };
}
