/**
 * Stub contexts for the doctor checks: engine and compose probe results written as the plain
 * objects the probes return, and a target Installation resolved by the real resolver from a temp
 * workspace (examples/harbor.yml with edits, the example certificates copied beside it).
 */
import { afterEach } from 'vitest';
import { rm } from 'node:fs/promises';
import { resolveInstallation, type Installation } from '../../../src/installation/installation.js';
import type { EngineInfo, EngineProbe } from '../../../src/docker/engine.js';
import type { ComposeDetection } from '../../../src/docker/compose.js';
import type { DoctorContext } from '../../../src/doctor/types.js';
import { makeWorkspace, type Workspace, type YamlEdits } from '../../helpers/workspace.js';
import { tempDir } from '../../helpers/tmp.js';

export const DEFAULT_SOCKET = { url: 'unix:///var/run/docker.sock', source: 'default' } as const;

export function engineUp(info: Partial<EngineInfo> = {}): EngineProbe {
  return {
    ok: true,
    info: {
      cli: { bin: '/usr/bin/docker', env: {} },
      endpoint: DEFAULT_SOCKET,
      clientVersion: '24.0.7',
      serverVersion: '24.0.7',
      rootDir: '/var/lib/docker',
      securityOptions: [],
      ...info,
    },
  };
}

export const engineCliMissing: EngineProbe = {
  ok: false,
  code: 'E_DOCKER_CLI_MISSING',
  message: 'the docker command is not installed (not found on PATH)',
  fix: 'install Docker Engine 20.10.10 or newer (Debian/Ubuntu: apt-get install docker.io), then re-run',
  endpoint: DEFAULT_SOCKET,
};

export const engineUnreachable: EngineProbe = {
  ok: false,
  code: 'E_ENGINE_UNREACHABLE',
  message: 'no Docker engine socket at /run/nowhere.sock: the engine is not running',
  fix: 'start dockerd, or unset/correct DOCKER_HOST',
  cli: { bin: '/usr/bin/docker', env: {} },
  clientVersion: '24.0.7',
  endpoint: { url: 'unix:///run/nowhere.sock', source: 'DOCKER_HOST' },
};

export const composeMissing: ComposeDetection = {
  ok: false,
  notes: [],
  message: 'Docker Compose is not installed: neither the `docker compose` plugin nor `docker-compose` was found',
  fix: 'install compose: the docker-compose-plugin package (Docker CE) or docker-compose (Debian/Ubuntu: apt-get install docker-compose), then re-run',
};

export function stubContext(over: Partial<DoctorContext> = {}): DoctorContext {
  return { env: {}, engine: engineUnreachable, compose: composeMissing, now: new Date('2027-03-01T00:00:00Z'), ...over };
}

/** Temp dirs and workspaces made by a test file, removed after each test. */
export function useScratch() {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    tempDir: (): Promise<string> => tempDir('regctl-doctor-stub'),
    /** A workspace and the Installation regctl resolves from its harbor.yml. */
    async target(edits: YamlEdits = {}): Promise<{ ws: Workspace; target: Installation }> {
      const ws = makeWorkspace(edits);
      dirs.push(ws.dir);
      const { target } = await resolveInstallation({ cwd: ws.dir, configPath: ws.configPath });
      return { ws, target };
    },
  };
}
