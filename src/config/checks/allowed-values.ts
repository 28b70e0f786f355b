/**
 * A value outside its allowed set is an error with a did-you-mean, never a fallback: legacy Harbor
 * compared `ui_url_protocol` with exactly "https" and served plain http for anything else, so a
 * typo silently dropped TLS. One helper so every enumerated key says it the same way.
 */
import { didYouMean } from '../../util/levenshtein.js';

export interface AllowedValuesProblem {
  message: string;
  fix: string;
}

/**
 * undefined when `value` is allowed; else the message and fix for the error. Case matters where
 * the consumer compares exactly (Harbor's prepare, nginx, PostgreSQL): 'HTTPS' is not 'https'.
 */
export function checkAllowedValue(what: string, value: string, allowed: readonly string[]): AllowedValuesProblem | undefined {
  if (allowed.includes(value)) return undefined;
  const guess = allowed.find((a) => a.toLowerCase() === value.toLowerCase()) ?? didYouMean(value, allowed);
  return {
    message: `${what} '${value}' is not one of ${allowed.join(', ')}`,
    fix: guess ? `did you mean '${guess}'? write it exactly so` : `use one of ${allowed.join(', ')}`,
  };
}
