/**
 * Validity periods (see spec §3.4): 397 days by default keeps a leaf inside every client policy;
 * 825 days is Apple's hard limit for any TLS server certificate, including ones from private CAs.
 */
import { RegctlError, ExitCode } from '../errors.js';

export const DEFAULT_LEAF_DAYS = 397;
export const MAX_LEAF_DAYS = 825;
export const DEFAULT_CA_DAYS = 3650;
/** A CA that outlives its holders' interest is a risk, and X.509 dates stop at 9999. */
export const MAX_CA_DAYS = 36500;
/** notBefore is set a little in the past so clients with a slightly slow clock accept a fresh cert. */
export const BACKDATE_MS = 60_000;

const DAY_MS = 86_400_000;

export function parseDays(value: string | undefined, fallback: number, max: number, what: string): number {
  if (value === undefined) return fallback;
  const days = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new RegctlError('E_CERT_DAYS', `--days must be a whole number of days, got '${value}'`, {
      fix: `e.g. --days ${fallback}`,
      exitCode: ExitCode.invalidInput,
    });
  }
  if (days > max) {
    throw new RegctlError('E_CERT_DAYS_TOO_LONG', `--days ${days} is longer than ${max} days, the limit for ${what}`, {
      fix:
        what === 'a server certificate'
          ? `Apple platforms reject TLS server certificates valid for more than ${MAX_LEAF_DAYS} days, even from a private CA; use --days ${DEFAULT_LEAF_DAYS} (the default) and 'regctl cert renew' before it expires`
          : `use at most --days ${max}`,
      exitCode: ExitCode.invalidInput,
    });
  }
  return days;
}

/** notBefore/notAfter for a certificate made now, whole seconds (X.509 has no fractions). */
export function validityWindow(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  const start = Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000;
  return { notBefore: new Date(start), notAfter: new Date(start + days * DAY_MS) };
}

export function daysBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / DAY_MS;
}
