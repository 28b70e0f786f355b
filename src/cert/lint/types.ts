import type { Severity } from '../../errors.js';

/** One thing the linter found, with the fix in words a user can act on. */
export interface CertFinding {
  severity: Severity;
  /** stable identifier, e.g. CERT_CN_ONLY, KEY_MISMATCH, CHAIN_INCOMPLETE, HOST_NOT_COVERED */
  code: string;
  message: string;
  fix: string;
}

export interface LintOptions {
  /** the server certificate file: the leaf, optionally followed by its intermediates */
  cert: string;
  /** the private key the server uses with it */
  key?: string;
  /** names and addresses clients use to reach the server (ports are ignored) */
  hosts?: string[];
  /** the CA certificate (file or bundle) clients trust, or a regctl CA directory */
  ca?: string;
  /** the time to check validity against; defaults to now */
  now?: Date;
}

export const finding = (severity: Severity, code: string, message: string, fix: string): CertFinding => ({ severity, code, message, fix });
