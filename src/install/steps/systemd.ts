/** Step 10: the systemd unit that starts this stack at boot (--systemd). */
import path from 'node:path';
import { renderUnit, writeUnit } from '../systemd.js';
import { need, type InstallStep, type StepOutcome } from './types.js';

/** the client's engine settings the unit needs to reach the same dockerd; never secrets */
export const CARRIED_ENV = ['DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT'];

export const systemdStep: InstallStep = {
  id: 'systemd',
  skip: (ctx) => (ctx.opts.systemd ? undefined : 'no --systemd'),
  async run(ctx): Promise<StepOutcome> {
    const { opts, sink } = ctx;
    const logService = sink ? { service: sink.service, containerName: sink.containerName || sink.service } : undefined;
    const environment = Object.fromEntries(CARRIED_ENV.filter((k) => opts.env[k]).map((k) => [k, opts.env[k]!]));
    const text = renderUnit({ project: need(ctx.stack, 'stack').project, dockerBin: need(ctx.engine, 'engine').cli.bin, logService, environment });
    const unitFile = await writeUnit(opts.root, ctx.target.projectName, text);
    ctx.unitFile = unitFile;
    return { status: 'done', detail: `${unitFile} (enable it: systemctl daemon-reload && systemctl enable ${path.basename(unitFile)})` };
  },
};
