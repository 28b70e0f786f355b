/**
 * One htpasswd line, `user:$2y$cost$...`, as Apache's htpasswd -B writes it and distribution's
 * htpasswd auth reads it (bcrypt only). bcryptjs writes $2b$; the hash is the same as $2y$.
 */
import bcrypt from 'bcryptjs';
import { ExitCode, RegctlError } from '../errors.js';

/** Harbor's prepare uses cost 5 for the registry's own credential; regctl keeps that there. */
export const HARBOR_BCRYPT_COST = 5;
/** For users an operator adds: htpasswd -B -C 10, the bcrypt default. */
export const USER_BCRYPT_COST = 10;

export function htpasswdLine(user: string, password: string, cost = HARBOR_BCRYPT_COST): string {
  return `${user}:${bcrypt.hashSync(password, cost).replace(/^\$2b\$/, '$2y$')}`;
}

/** true when the htpasswd line's bcrypt hash matches the password */
export function verifyHtpasswd(line: string, password: string): boolean {
  const hash = line.slice(line.indexOf(':') + 1).replace(/^\$2y\$/, '$2b$');
  try {
    return bcrypt.compareSync(password, hash);
  } catch {
    return false;
  }
}

/** A name distribution's htpasswd reader accepts: no ':' (the separator), no whitespace or control characters. */
export function checkUserName(name: string): void {
  if (!name || name.length > 255 || /[:\s\p{Cc}]/u.test(name) || name.startsWith('#')) {
    throw new RegctlError('E_HTPASSWD_USER', `'${name}' cannot be an htpasswd user name`, {
      fix: 'use letters, digits and . _ - @ (no colon, space or leading #)',
      exitCode: ExitCode.invalidInput,
    });
  }
}

/** bcrypt reads at most 72 bytes of a password; a longer one would match its first 72 bytes. */
export function checkPassword(password: string): void {
  if (!password) throw new RegctlError('E_HTPASSWD_PASSWORD', 'the password is empty', { fix: 'pipe a password on stdin, or leave out --password-stdin to have one generated', exitCode: ExitCode.invalidInput });
  if (Buffer.byteLength(password, 'utf8') > 72) {
    throw new RegctlError('E_HTPASSWD_PASSWORD', 'the password is longer than 72 bytes, which bcrypt ignores beyond', { fix: 'use a password of at most 72 bytes (the generated ones have 32 characters)', exitCode: ExitCode.invalidInput });
  }
}
