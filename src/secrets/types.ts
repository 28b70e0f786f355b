/**
 * Every secret value prepare needs. Harbor regenerates some of these on every run; regctl keeps
 * all of them under data_volume/secret/ so that a second prepare rewrites no file.
 */
export interface Secrets {
  /** data_volume/secret/keys/secretkey: 16 chars, AES key of core. Never regenerated. */
  secretKey: string;
  /** token-signing pair: PKCS#1 RSA-4096 key and self-signed cert (empty subject, 10 years) */
  tokenPrivateKeyPem: string;
  tokenRootCertPem: string;
  /** kept by regctl (Harbor regenerates them per run) */
  coreSecret: string; // 16
  jobserviceSecret: string; // 16
  registryPassword: string; // 32, user harbor_registry_user
  /** bcrypt line for common/config/registry/passwd, kept so the file does not change */
  registryHtpasswd: string;
  csrfKey: string; // 32
  robotScannerNamePrefix: string; // 8
  /** --with-notary only (the 2.8 line): data_volume/secret/keys/defaultalias and secret/notary/*, kept across runs */
  notary?: NotarySecrets;
}

export interface NotarySecrets {
  /** 8 chars: NOTARY_SIGNER_DEFAULTALIAS, the passphrase the signer encrypts its keys with */
  defaultAlias: string;
  signerCaCertPem: string;
  signerCertPem: string;
  /** PKCS#8 RSA-4096 */
  signerKeyPem: string;
}

export const REGISTRY_USER_NAME = 'harbor_registry_user';
