/** Step 2: render the configuration (regctl prepare), once a running Harbor may be restarted. */
import { RegctlError } from '../../errors.js';
import { formatProblem, memoryOutput } from '../../output.js';
import { projectContainers } from '../../docker/containers.js';
import type { Installation } from '../../installation/installation.js';
import { openStack } from '../stack.js';
import { checkBundleSpace } from './images.js';
import { need, plural, type InstallContext, type InstallStep, type StepOutcome } from './types.js';

/** A running Harbor is only restarted with --yes or the user's yes. */
async function confirmRestart(ctx: InstallContext): Promise<void> {
  const { opts, deps, progress, target } = ctx;
  const running = (await projectContainers(need(ctx.engine, 'engine').cli, target.projectName)).filter((c) => c.running);
  ctx.running = running;
  if (!running.length || opts.yes) return;
  const question = `Harbor (project ${target.projectName}) is running with ${running.length} containers; install restarts them (short downtime, data kept). Continue?`;
  if (!deps.confirm) {
    throw new RegctlError('E_CONFIRM', `Harbor (project ${target.projectName}) is running with ${running.length} containers and install would restart them`, {
      fix: 'run again with --yes to restart it (volumes and data_volume are kept)',
    });
  }
  const confirm = deps.confirm;
  if (!(await progress.interrupt(() => confirm(question)))) throw new RegctlError('E_ABORTED', 'install cancelled; nothing was changed', { fix: 'run again and answer yes, or pass --yes' });
}

export const prepareStep: InstallStep = {
  id: 'prepare',
  async before(ctx) {
    await confirmRestart(ctx);
    // a bundle that cannot be loaded stops install before anything is written
    if (ctx.bundle) await checkBundleSpace(ctx.bundle.file, ctx.bundle.size, need(ctx.engine, 'engine'));
  },
  async run(ctx): Promise<StepOutcome> {
    const { opts, deps } = ctx;
    const prepared = await deps.prepare({
      cwd: opts.cwd,
      out: memoryOutput(),
      configPath: opts.configPath,
      installDir: opts.installDir,
      root: opts.root,
      withTrivy: opts.withTrivy,
      withNotary: opts.withNotary,
      // the release install resolved (flag or record), so prepare renders exactly that one
      release: ctx.target.release.version,
      imagePrefix: opts.imagePrefix,
      lockDir: opts.lockDir,
      // install holds both locks from doctor to healthy
      lockHeld: true,
    });
    ctx.prepared = prepared;
    const changed = prepared.plan.filter((p) => p.change !== 'unchanged');
    const lead = prepared.findings.map((f) => formatProblem(f));
    if (prepared.wrote && changed.length <= 40) lead.push(...changed.map((c) => `  ${c.change.padEnd(7)} ${c.root}:${c.path}`));
    return {
      status: 'done',
      detail: prepared.wrote ? `${plural(changed.length, 'file')} written in ${prepared.installDir}` : `nothing changed (${prepared.plan.length} files up to date)`,
      lead,
    };
  },
  async after(ctx) {
    const prepared = need(ctx.prepared, 'prepared');
    const stackTarget: Installation = { ...ctx.target, installDir: prepared.installDir, dataVolume: prepared.dataVolume, composeFile: prepared.composeFile };
    ctx.stack = await openStack(stackTarget, need(ctx.engine, 'engine').cli, need(ctx.compose, 'compose'));
  },
};
