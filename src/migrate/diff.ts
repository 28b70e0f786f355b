import { createTwoFilesPatch } from 'diff';

const SECRET_KEY = /^(\s*[+\- ]?\s*(?:-\s+)?[\w.]*(?:password|passwd|pwd|secret|token|credential|accesskey|secretkey)[\w.]*\s*[:=]\s*)(\S.*)$/i;

/** Masks the value of every line whose key names a secret. */
export function maskSecrets(text: string): string {
  return text
    .split('\n')
    .map((l) => (SECRET_KEY.test(l) ? l.replace(SECRET_KEY, '$1********') : l))
    .join('\n');
}

/** Unified diff of the old and new file, secrets masked. */
export function maskedDiff(oldName: string, newName: string, before: string, after: string): string {
  return createTwoFilesPatch(oldName, newName, maskSecrets(before), maskSecrets(after), '', '', { context: 3 });
}
