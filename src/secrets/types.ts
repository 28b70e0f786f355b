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
}

export const REGISTRY_USER_NAME = 'harbor_registry_user';
