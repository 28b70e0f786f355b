/**
 * A rendered Harbor stack as the lifecycle commands drive it: the compose project (name, file,
 * directory), the services the compose file declares, and where their logs are.
 */
import { existsSync } from 'node:fs';
import { RegctlError } from '../errors.js';
import type { DockerCli } from '../docker/cli.js';
import { ComposeProject, requireCompose, type ComposeTool } from '../docker/compose.js';
import { requireEngine } from '../docker/engine.js';
import { resolveInstallation, type InstallationOptions } from '../installation/installation.js';
import { readComposeServices, type ComposeService } from '../docker/compose-file.js';
import type { LogPlaces } from '../docker/logs.js';
import type { Installation } from '../installation/installation.js';

export interface Stack {
  target: Installation;
  cli: DockerCli;
  project: ComposeProject;
  services: ComposeService[];
  logPlaces: LogPlaces;
}

export function logPlacesFor(target: Installation): LogPlaces {
  const ext = target.config.log.externalEndpoint;
  return { localDir: target.logDir, external: ext ? `${ext.protocol}://${ext.host}:${ext.port}` : undefined };
}

export async function openStack(target: Installation, cli: DockerCli, compose: ComposeTool): Promise<Stack> {
  const services = await readComposeServices(target.composeFile);
  const project = new ComposeProject(compose, { name: target.projectName, file: target.composeFile, directory: target.installDir });
  return { target, cli, project, services, logPlaces: logPlacesFor(target) };
}

/**
 * The service other containers log through (Harbor's `log`): it has no syslog driver itself and
 * publishes the port the others' syslog-address points at. Started first so that their logging
 * driver can connect (otherwise: "failed to initialize logging driver ... connection refused").
 */
export function logSinkService(services: ComposeService[]): ComposeService | undefined {
  const ports = new Set(
    services
      .map((s) => s.syslogAddress && /:(\d+)$/.exec(s.syslogAddress)?.[1])
      .filter((p): p is string => Boolean(p)),
  );
  if (!ports.size) return undefined;
  return services.find((s) => s.logDriver !== 'syslog' && s.ports.some((p) => [...ports].some((port) => new RegExp(`(^|:)${port}:`).test(p))));
}

/** For down/status/logs: config → target → engine and compose (or clear errors) → stack. */
export async function openStackFromOptions(opts: InstallationOptions, env: NodeJS.ProcessEnv): Promise<Stack> {
  const { target } = await resolveInstallation(opts);
  const engine = await requireEngine(env);
  const compose = await requireCompose(engine.cli, env);
  if (!existsSync(target.composeFile)) {
    throw new RegctlError('E_NOT_INSTALLED', `${target.composeFile} does not exist: Harbor was not installed from ${target.installDir}`, {
      file: target.composeFile,
      fix: 'run regctl install (or pass the --config/--install-dir of the installation)',
    });
  }
  return openStack(target, engine.cli, compose);
}
