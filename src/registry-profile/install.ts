/**
 * `regctl install --profile registry`: the same shape as Harbor's install (check, render through
 * the one writer, start, prove it answers) for one distribution container.
 *
 *   doctor (engine, compose, port) → certificates (--generate-certs) and users → render + apply
 *   → image present → compose down (volumes kept) → compose up -d → wait healthy → /v2/ answers
 *   401 (auth is on) → summary with the trust and login lines.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { ComposeProject, projectNameFor } from '../docker/compose.js';
import { runDoctor } from '../doctor/run.js';
import { formatResults } from '../doctor/report.js';
import { registryInstallChecks } from './doctor.js';
import { runDocker } from '../docker/cli.js';
import { projectContainers, isReady, describeState } from '../docker/containers.js';
import { planTree, planChanges } from '../apply/plan.js';
import { applyPlan } from '../apply/transaction.js';
import { lockPaths } from '../util/run-lock.js';
import { underRoot } from '../util/root.js';
import { ensureServerCertificate } from '../cert/for-prepare.js';
import { ipVersion } from '../cert/ip.js';
import { hostAddresses } from '../cert/default-sans.js';
import type { ProgressReporter } from '../install/progress.js';
import { renderUnit, writeUnit } from '../install/systemd.js';
import { CARRIED_ENV } from '../install/steps/systemd.js';
import { loadRegistryConfig } from './load.js';
import { renderRegistryProfile, SERVICE } from './render.js';
import { probeRegistry } from './probe.js';
import type { RegistryProfileConfig } from './model.js';

export const REGISTRY_INSTALL_STEPS = [
  { id: 'doctor', title: 'preflight checks (engine, compose, port)' },
  { id: 'certs', title: 'server certificate and users' },
  { id: 'prepare', title: 'render the configuration' },
  { id: 'images', title: 'check that the image is present' },
  { id: 'stop', title: 'stop the current registry (compose down, volumes kept)' },
  { id: 'start', title: 'start the registry (compose up -d)' },
  { id: 'wait', title: 'wait until the container is running and healthy' },
  { id: 'verify', title: 'check /v2/ answers with an auth challenge' },
  { id: 'systemd', title: 'write the systemd unit (--systemd)' },
] as const;

export interface RegistryInstallOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  configPath?: string;
  installDir?: string;
  root?: string;
  insecure: boolean;
  generateCerts: boolean;
  /** --systemd: a unit that starts the registry at boot (the Harbor profile's, without a log service) */
  systemd?: boolean;
  timeoutSeconds: number;
  lockWaitMs?: number;
  lockDir?: string;
}

export interface RegistryInstallResult {
  url: string;
  registry: string;
  project: string;
  installDir: string;
  caFile?: string;
  trustCommand: string;
  changedFiles: number;
  unitFile?: string;
  summary: string[];
  timings: { totalMs: number; upToHealthyMs: number };
}

/** host:port as clients name it (certs.d directory, docker login, the trust line) */
export function registryAddress(c: RegistryProfileConfig): string {
  return `${ipVersion(c.hostname) === 6 ? `[${c.hostname}]` : c.hostname}:${c.port}`;
}

export async function runRegistryInstall(opts: RegistryInstallOptions, progress: ProgressReporter): Promise<RegistryInstallResult> {
  const t0 = Date.now();
  const file = path.resolve(opts.cwd, opts.configPath ?? 'registry.yml');
  const config = await loadRegistryConfig(file, { insecure: opts.insecure });
  const installDir = underRoot(opts.root, path.resolve(opts.cwd, opts.installDir ?? path.dirname(file)));
  const release = await lockPaths([{ path: installDir, what: 'install: install dir' }], { waitMs: opts.lockWaitMs, lockDir: opts.lockDir, onWait: (m) => progress.note(m) });
  try {
    return await installLocked(opts, config, installDir, progress, t0);
  } finally {
    await release();
  }
}

async function installLocked(opts: RegistryInstallOptions, config: RegistryProfileConfig, installDir: string, progress: ProgressReporter, t0: number): Promise<RegistryInstallResult> {
  const host = (p: string) => underRoot(opts.root, p);
  progress.start('doctor');
  const projectName = projectNameFor(installDir);
  const report = await runDoctor({ env: opts.env, projectName, checks: registryInstallChecks({ config, root: opts.root, installDir }) });
  if (report.failed || !report.engine || !report.compose) {
    const failed = report.results.filter((r) => r.status === 'fail');
    for (const line of formatResults(failed)) progress.note(line);
    throw new RegctlError('E_DOCTOR_FAILED', `preflight checks failed: ${failed.map((r) => r.check).join(', ')}; nothing was changed`, {
      exitCode: ExitCode.failure,
      fix: 'fix what the checks above name, then run the install again (regctl doctor --profile registry shows every check)',
    });
  }
  const engine = report.engine;
  const project = new ComposeProject(report.compose, { name: projectName, file: path.join(installDir, 'docker-compose.yml'), directory: installDir });
  const warned = report.results.filter((r) => r.status === 'warn');
  for (const w of warned) progress.note(`warning: ${w.check}: ${w.detail} (fix: ${w.fix})`);
  progress.done('doctor', `${report.results.length} checks passed${warned.length ? ` (${warned.length} with a warning)` : ''}; Docker Engine ${engine.serverVersion}, port ${config.port} free or ours`);

  progress.start('certs');
  const caFile = await ensureCertificates(config, opts, installDir);
  if (!existsSync(host(config.htpasswd))) {
    throw new RegctlError('E_NO_USERS', `the htpasswd file ${config.htpasswd} does not exist: the registry would have no users`, {
      file: config.file,
      key: 'auth.htpasswd',
      exitCode: ExitCode.invalidInput,
      fix: `create the first user: regctl registry user add admin --htpasswd ${config.htpasswd} (prints a generated password once), then run install again`,
    });
  }
  progress.done('certs', config.tls ? `certificate ${config.tls.certificate}${caFile ? `, CA ${caFile}` : ''}; users in ${config.htpasswd}` : `plain HTTP (--insecure); users in ${config.htpasswd}`);

  progress.start('prepare');
  // distribution writes here as root; a missing dir would be created by dockerd, but owned by nobody's intent
  await mkdir(host(config.storageDir), { recursive: true, mode: 0o755 });
  const plan = await planTree(renderRegistryProfile(config, { root: opts.root }), { install: installDir, data: host(config.storageDir) });
  const changed = planChanges(plan).length;
  await applyPlan(plan);
  progress.done('prepare', changed ? `${changed} files written in ${installDir}` : 'no file changed');

  progress.start('images');
  const image = await runDocker(engine.cli, ['image', 'inspect', '--format', '{{.Id}}', config.image], { timeoutMs: 60_000 });
  if (image.exitCode !== 0) {
    throw new RegctlError('E_IMAGE_MISSING', `the image ${config.image} is not on this host; install never pulls`, {
      file: config.file,
      key: 'image',
      fix: `docker pull ${config.image} (or docker load it from a tarball), or set image: in registry.yml to one that is present`,
    });
  }
  progress.done('images', config.image);

  progress.start('stop');
  await project.down();
  progress.done('stop');
  progress.start('start');
  const upStarted = Date.now();
  await project.up();
  progress.done('start');

  progress.start('wait');
  await waitHealthy(engine.cli, project.spec.name, upStarted + opts.timeoutSeconds * 1000, (d) => progress.update('wait', d));
  progress.done('wait', '1/1 container healthy');

  progress.start('verify');
  const probe = await probeRegistry(config, { caFile: caFile && host(caFile) });
  if (probe.status !== 'pass') throw new RegctlError('E_NOT_HEALTHY', `the registry does not answer as expected: ${probe.detail}`, { fix: probe.fix ?? 'see regctl logs registry' });
  progress.done('verify', probe.detail);
  const upToHealthyMs = Date.now() - upStarted;
  const unitFile = await writeSystemdUnit(opts, project, engine.cli.bin, progress);

  const registry = registryAddress(config);
  const trustCommand = config.tls ? `regctl cert trust --ca ${caFile ?? '<CA that issued the certificate>'} --registry ${registry}` : `regctl cert trust --insecure --registry ${registry}`;
  const url = `${config.tls ? 'https' : 'http'}://${registry}`;
  const summary = [
    `registry is up at ${url} (${(upToHealthyMs / 1000).toFixed(1)}s from compose up to healthy)`,
    `  users:                     ${config.htpasswd} (regctl registry user add NAME --htpasswd ${config.htpasswd})`,
    `  on each client, trust it:  ${trustCommand}`,
    `  then log in:               docker login ${registry} -u USER --password-stdin`,
  ];
  if (!config.tls) summary.push('  plain HTTP: passwords and images cross the network unencrypted; use it on a trusted network only');
  if (unitFile) summary.push(`  at boot:                   systemctl daemon-reload && systemctl enable ${path.basename(unitFile)}   (${unitFile})`);
  return { url, registry, project: project.spec.name, installDir, caFile, trustCommand, changedFiles: changed, unitFile, summary, timings: { totalMs: Date.now() - t0, upToHealthyMs } };
}

async function writeSystemdUnit(opts: RegistryInstallOptions, project: ComposeProject, dockerBin: string, progress: ProgressReporter): Promise<string | undefined> {
  if (!opts.systemd) {
    progress.skip('systemd', 'no --systemd');
    return undefined;
  }
  progress.start('systemd');
  const environment = Object.fromEntries(CARRIED_ENV.filter((k) => opts.env[k]).map((k) => [k, opts.env[k]!]));
  const unitFile = await writeUnit(opts.root, project.spec.name, renderUnit({ project, dockerBin, environment, what: 'container registry (regctl --profile registry)' }));
  progress.done('systemd', unitFile);
  return unitFile;
}

/**
 * --generate-certs: a CA kept in <install dir>/ca and a leaf at the configured paths, both made
 * only when missing (clients that trust the CA keep working across runs). The leaf names the
 * hostname (an IP SAN when it is an address) and, like Harbor's prepare, this host's addresses.
 */
async function ensureCertificates(config: RegistryProfileConfig, opts: RegistryInstallOptions, installDir: string): Promise<string | undefined> {
  if (!config.tls) return undefined;
  const host = (p: string) => underRoot(opts.root, p);
  const caDir = path.join(installDir, 'ca');
  const have = existsSync(host(config.tls.certificate)) && existsSync(host(config.tls.privateKey));
  if (!have && !opts.generateCerts) {
    throw new RegctlError('E_CERT_MISSING', `the server certificate ${config.tls.certificate} or its key ${config.tls.privateKey} does not exist`, {
      file: config.file,
      key: 'tls.certificate',
      exitCode: ExitCode.invalidInput,
      fix: 'run install with --generate-certs to create a CA and the certificate there, or issue one with regctl cert issue',
    });
  }
  if (opts.generateCerts) {
    const sans = [config.hostname, ...hostAddresses(os.networkInterfaces())].filter((v, i, a) => a.indexOf(v) === i);
    await ensureServerCertificate({ caDir, certPath: host(config.tls.certificate), keyPath: host(config.tls.privateKey), sans });
  }
  const caCert = path.join(caDir, 'ca.crt');
  if (!existsSync(caCert)) return undefined;
  return opts.root ? caCert.slice(path.resolve(opts.root).length) : caCert;
}

async function waitHealthy(cli: Parameters<typeof runDocker>[0], projectName: string, deadline: number, update: (d: string) => void): Promise<void> {
  for (;;) {
    const c = (await projectContainers(cli, projectName)).find((x) => x.service === SERVICE);
    if (c && isReady(c)) return;
    if (c) update(describeState(c));
    if (Date.now() > deadline) {
      const logs = c ? await runDocker(cli, ['logs', '--tail', '20', c.id], { timeoutMs: 30_000 }) : undefined;
      throw new RegctlError('E_NOT_HEALTHY', `the registry container did not become healthy in time (${c ? describeState(c) : 'missing'}); nothing was removed`, {
        fix: `see why: regctl logs registry${logs ? `\n${(logs.stdout + logs.stderr).trim().split('\n').slice(-20).join('\n')}` : ''}`,
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
