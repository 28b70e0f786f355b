/** Runs every check (engine and compose probed once) and collects the results in a fixed order. */
import { probeEngine, type EngineInfo } from '../docker/engine.js';
import { detectCompose, type ComposeTool } from '../docker/compose.js';
import { dockerCliCheck } from './checks/docker-cli.js';
import { engineCheck } from './checks/engine.js';
import { composeCheck } from './checks/compose.js';
import { portsCheck } from './checks/ports.js';
import { containerNamesCheck } from './checks/container-names.js';
import { diskSpaceCheck } from './checks/disk-space.js';
import { dataVolumeCheck } from './checks/data-volume.js';
import { localhostCheck } from './checks/localhost.js';
import { selinuxCheck } from './checks/selinux.js';
import { certificateCheck } from './checks/certificate.js';
import { fail, type CheckResult, type DoctorCheck, type DoctorContext } from './types.js';
import type { Installation } from '../installation/installation.js';

export const doctorChecks: readonly DoctorCheck[] = [
  dockerCliCheck,
  engineCheck,
  composeCheck,
  portsCheck,
  containerNamesCheck,
  diskSpaceCheck,
  dataVolumeCheck,
  localhostCheck,
  selinuxCheck,
  certificateCheck,
];

export interface DoctorReport {
  results: CheckResult[];
  /** what the probes found, for commands that go on to drive Docker */
  engine?: EngineInfo;
  compose?: ComposeTool;
  failed: boolean;
}

export async function runDoctor(opts: { env: NodeJS.ProcessEnv; target?: Installation; projectName?: string; now?: Date; checks?: readonly DoctorCheck[] }): Promise<DoctorReport> {
  const engine = await probeEngine(opts.env);
  const compose = await detectCompose(engine.ok ? engine.info.cli : engine.cli, opts.env);
  const ctx: DoctorContext = { env: opts.env, target: opts.target, projectName: opts.projectName, engine, compose, now: opts.now ?? new Date() };
  const results: CheckResult[] = [];
  for (const check of opts.checks ?? doctorChecks) {
    try {
      results.push(...(await check.run(ctx)));
    } catch (err) {
      results.push(fail(check.name, `the check itself failed: ${(err as Error).message}`, 'this is a bug in regctl; re-run with REGCTL_DEBUG=1 and report it'));
    }
  }
  return {
    results,
    engine: engine.ok ? engine.info : undefined,
    compose: compose.ok ? compose.tool : undefined,
    failed: results.some((r) => r.status === 'fail'),
  };
}
