/**
 * Tests that need the real Docker engine. Locally without docker they are skipped with a clear
 * message; under CI=true a missing engine is a failure (the CI script installs and starts it).
 * Suites that start Harbor (fixed container names, 127.0.0.1:1514) hold one cross-process lock
 * while they run, because vitest runs test files in parallel.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { acquireLock } from '../../images/lock.js';

export interface EngineStatus {
  ok: boolean;
  reason: string;
}

let cached: EngineStatus | undefined;

export function engineStatus(): EngineStatus {
  if (cached) return cached;
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) cached = { ok: false, reason: `the docker CLI is not installed (${(r.error as NodeJS.ErrnoException).code})` };
  else if (r.status !== 0) cached = { ok: false, reason: `the Docker engine is not reachable: ${(r.stderr || '').trim().split('\n')[0]}` };
  else {
    const compose = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
    const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    cached =
      compose.status === 0 || plugin.status === 0
        ? { ok: true, reason: `Docker Engine ${r.stdout.trim()}` }
        : { ok: false, reason: 'Docker Compose is not installed (neither docker-compose nor the docker compose plugin)' };
  }
  return cached;
}

/**
 * describe() for suites that need Docker: runs them when the engine is there; otherwise skips
 * them with the reason, or under CI=true registers one failing test that states it.
 */
export function describeWithDocker(name: string, body: () => void): void {
  const st = engineStatus();
  if (st.ok) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Docker engine and compose (required when CI=true)', () => {
        throw new Error(`${st.reason}. CI must provide them: run scripts/test-setup.sh (installs docker.io and docker-compose, starts dockerd)`);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": ${st.reason} (with CI=true this is a failure)`);
  describe.skip(`${name} [skipped: ${st.reason}; set CI=true to make this a failure]`, body);
}

/** Exclusive use of Harbor's container names and 127.0.0.1:1514 across test files. */
export function lockHarborNames(): Promise<() => Promise<void>> {
  return acquireLock(path.join(os.tmpdir(), 'regctl-e2e-harbor-names.lock'), 20 * 60_000);
}
