/** A verify run as a command result: the summary lines, the warning of each warned step, the failed step's error. */
import { ExitCode, problem } from '../errors.js';
import type { CommandResult } from '../commands/result.js';
import type { VerifyResult } from './run.js';

export function verifyResult(r: VerifyResult): CommandResult {
  const data = { registry: r.registry, repository: r.repository, tag: r.tag, client: r.client, ok: r.ok, steps: r.steps, digests: r.digests, deletion: r.deletion ?? null };
  const findings = r.steps.filter((s) => s.status === 'warn').map((s) => problem('warning', `W_VERIFY_${s.id.toUpperCase()}`, s.detail, { fix: s.fix }));
  const failed = r.steps.find((s) => s.status === 'fail');
  if (failed) {
    return {
      exitCode: ExitCode.failure,
      data,
      findings,
      error: problem('error', failed.code ?? 'E_VERIFY_FAILED', `verify failed at "${failed.title}": ${failed.detail}`, { fix: failed.fix }),
    };
  }
  const ref = `${r.registry}/${r.repository}:${r.tag}`;
  return {
    exitCode: ExitCode.ok,
    data,
    findings,
    lines: [`${r.registry} works with ${r.client}: pushed, pulled and listed ${ref} (${r.digests.pushed})${r.deletion === 'deleted' ? ', then deleted it' : ''}.`],
  };
}
