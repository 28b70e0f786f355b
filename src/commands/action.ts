import type { CliContext } from './context.js';
import { reportError } from '../output.js';

/**
 * Wraps a command body: the body returns an exit code or throws; errors become output in one
 * place (reportError). `json` makes errors print as JSON too.
 */
export function action<A extends unknown[]>(
  ctx: CliContext,
  setExit: (code: number) => void,
  body: (...args: A) => Promise<number>,
  json: (...args: A) => boolean = () => false,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      setExit(await body(...args));
    } catch (err) {
      setExit(reportError(ctx.out, err, { json: json(...args) }));
    }
  };
}
