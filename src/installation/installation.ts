/**
 * From the command-line options to the installation they name: the loaded config and the real
 * (--root applied) install dir, data_volume, log dir and compose file, plus the compose project
 * name. Shared by doctor, install, down, status and logs so they agree on all of it.
 */
import path from 'node:path';
import { locateConfig, loadConfig } from '../config/load.js';
import { checkNotaryConfig, checkNotaryRequest, chooseRelease } from './release-choice.js';
import { projectNameFor } from '../docker/compose.js';
import type { Problem } from '../errors.js';
import { underRoot } from '../util/root.js';
import { hostPathResolver, type HostPathResolver } from './host-paths.js';
import type { HarborConfig } from '../config/model.js';
import type { HarborRelease } from '../releases/types.js';
import type { InstallationRecord } from './record.js';

/** One Harbor installation as every command sees it: its config, release and real paths. */
export interface Installation {
  config: HarborConfig;
  release: HarborRelease;
  /** real (--root applied) paths */
  installDir: string;
  dataVolume: string;
  logDir: string;
  composeFile: string;
  /** compose project name regctl uses for this install dir */
  projectName: string;
  /** --root, for paths named in the config (certificates) */
  root?: string;
  /** where regctl reads a file the config names (the --root rule, src/installation/host-paths.ts) */
  hostPath: HostPathResolver;
  /** what the install dir was rendered for (common/config/regctl/installation.json), when recorded */
  record?: InstallationRecord;
}

export interface InstallationOptions {
  cwd: string;
  configPath?: string;
  installDir?: string;
  root?: string;
  withTrivy?: boolean;
  /** --with-notary (install, doctor): refused where the release has no Notary */
  withNotary?: boolean;
  /** --harbor-version; default: what the install dir was rendered for, else the newest */
  harborVersion?: string;
}


export async function resolveInstallation(opts: InstallationOptions): Promise<{ target: Installation; problems: Problem[] }> {
  const file = await locateConfig(opts.cwd, opts.configPath);
  const installDir = path.resolve(opts.cwd, opts.installDir ?? path.dirname(file));
  const realInstall = underRoot(opts.root, installDir);
  const { release, findings, record } = await chooseRelease(realInstall, opts.harborVersion);
  checkNotaryRequest(release, Boolean(opts.withNotary));
  const loaded = await loadConfig(file, { withTrivy: Boolean(opts.withTrivy), withNotary: Boolean(opts.withNotary), schemaVersion: release.schemaVersion, root: opts.root });
  const { config } = loaded;
  checkNotaryConfig(config, Boolean(opts.withNotary));
  return {
    problems: [...loaded.problems, ...findings],
    target: {
      config,
      release,
      installDir: realInstall,
      dataVolume: underRoot(opts.root, config.dataVolume),
      logDir: underRoot(opts.root, config.log.local.location),
      composeFile: path.join(realInstall, 'docker-compose.yml'),
      projectName: projectNameFor(realInstall),
      root: opts.root,
      hostPath: hostPathResolver(opts.root, config),
      record,
    },
  };
}

/** Like resolveInstallation, but without --config and no config in cwd there is simply no target. */
export async function resolveOptionalInstallation(opts: InstallationOptions): Promise<{ target?: Installation; problems: Problem[] }> {
  if (!opts.configPath) {
    try {
      await locateConfig(opts.cwd);
    } catch {
      return { problems: [] };
    }
  }
  return resolveInstallation(opts);
}
