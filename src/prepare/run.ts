/**
 * One `regctl prepare` run: load + validate → secrets → render (pure) → plan → apply or report.
 * `regctl install` calls this too. Nothing is written before the whole config has been validated
 * and the whole tree rendered.
 */
import path from 'node:path';
import { pathExists as exists } from '../util/fs.js';
import { underRoot } from '../util/root.js';
import { locateConfig, loadConfig } from '../config/load.js';
import { defaultRelease, findRelease, releases } from '../releases/index.js';
import { loadOrCreateSecrets } from '../secrets/store.js';
import { renderInstallTree } from '../render/render.js';
import { planTree } from '../apply/plan.js';
import { applyPlan, hasInterruptedApply, recoverInterruptedApply, type FaultInjection } from '../apply/transaction.js';
import { planLines, planSummary } from '../apply/plan-text.js';
import { reportProblems } from '../output.js';
import { RegctlError, ExitCode } from '../errors.js';
import type { PrepareResult, PrepareRunOptions } from './types.js';
import type { HarborConfig } from '../config/model.js';
import type { Secrets } from '../secrets/types.js';

export { underRoot };

/** Every value that must never appear in output. */
export function sensitiveValues(config: HarborConfig, secrets: Secrets): string[] {
  const v = [
    config.harborAdminPassword,
    config.database.password,
    config.trivy.githubToken,
    config.trace.jaeger?.password ?? '',
    secrets.secretKey,
    secrets.coreSecret,
    secrets.jobserviceSecret,
    secrets.registryPassword,
    secrets.csrfKey,
  ];
  for (const [k, val] of Object.entries(config.storage.providerConfig)) {
    if (/key|secret|password|token|credential/i.test(k) && typeof val === 'string') v.push(val);
  }
  for (const url of Object.values(config.redis.urls)) {
    const m = /:\/\/[^:@/]*:([^@]+)@/.exec(url ?? '');
    if (m) v.push(decodeURIComponent(m[1]), m[1]);
  }
  return v.filter(Boolean);
}

export async function runPrepare(opts: PrepareRunOptions & { fault?: FaultInjection; json?: boolean }): Promise<PrepareResult> {
  const { out } = opts;
  const release = opts.release ? findRelease(opts.release) : defaultRelease;
  if (!release) {
    throw new RegctlError('E_RELEASE', `Harbor release ${opts.release} is not supported`, {
      exitCode: ExitCode.invalidInput,
      fix: `supported: ${releases.map((r) => r.version).join(', ')}`,
    });
  }
  const configFile = await locateConfig(opts.cwd, opts.configPath);
  const loaded = await loadConfig(configFile, {
    withTrivy: opts.withTrivy,
    schemaVersion: release.schemaVersion,
    generateCerts: opts.generateCerts,
  });
  const { config } = loaded;
  if (!opts.json) reportProblems(out, loaded.problems);

  const installDir = path.resolve(opts.cwd, opts.installDir ?? path.dirname(configFile));
  const realInstall = underRoot(opts.root, installDir);
  const realData = underRoot(opts.root, config.dataVolume);
  const readOnly = Boolean(opts.dryRun || opts.diff);

  if (readOnly) {
    if (await hasInterruptedApply(realInstall)) {
      throw new RegctlError('E_INTERRUPTED', `an earlier prepare in ${realInstall} was interrupted mid-write`, {
        fix: 'run `regctl prepare` without --dry-run/--diff once: it restores the previous files first',
      });
    }
  } else if (await recoverInterruptedApply(realInstall)) {
    out.warn(`warning: an earlier prepare was interrupted mid-write; its changes were rolled back in ${realInstall} [W_RECOVERED]`);
  }

  // certificates: made before rendering (the nginx renderer copies them), only when asked and missing
  const sourceOverrides = new Map<string, string>();
  const caDir = path.join(realData, 'secret', 'ca');
  if (opts.generateCerts && config.https && !readOnly) {
    const certPath = underRoot(opts.root, config.https.certificate);
    const keyPath = underRoot(opts.root, config.https.privateKey);
    const { ensureServerCertificate, defaultServerSans } = await import('../cert/for-prepare.js');
    const { machineIdentity } = await import('../cert/host-identity.js');
    const host = await machineIdentity();
    const sans = defaultServerSans(config.hostname, config.externalUrl, host.interfaces, host.fqdn);
    if (!(await exists(certPath)) && !(await exists(keyPath))) out.info(`generating a CA and a server certificate for ${sans.join(', ')} ...`);
    const made = await ensureServerCertificate({ caDir, certPath, keyPath, sans });
    if (made.createdCa) out.info(`created CA ${made.caCertPath} (kept and reused by later runs)`);
    if (made.createdLeaf) out.info(`created server certificate ${certPath} and key ${keyPath}`);
    sourceOverrides.set(config.https.certificate, certPath);
    sourceOverrides.set(config.https.privateKey, keyPath);
  } else if (opts.generateCerts && config.https && readOnly) {
    out.warn('note: --generate-certs does nothing with --dry-run/--diff; the plan assumes the certificate files exist');
  }
  const caDownloadSource = opts.caFile
    ? path.resolve(opts.cwd, opts.caFile)
    : config.https?.caFile ?? ((await exists(path.join(caDir, 'ca.crt'))) ? path.join(caDir, 'ca.crt') : undefined);

  const { secrets, created } = await loadOrCreateSecrets(realData, realInstall, new Date(), (what) => {
    if (!opts.json) out.info(`${what} ...`);
  });
  const entries = renderInstallTree({
    config,
    secrets,
    release,
    options: { withTrivy: opts.withTrivy, imagePrefix: opts.imagePrefix, caDownloadSource },
  }).map((e) => (e.kind === 'copy' && sourceOverrides.has(e.from) ? { ...e, from: sourceOverrides.get(e.from)! } : e));
  const plan = await planTree(entries, { install: realInstall, data: realData });
  const result: PrepareResult = {
    config,
    installDir: realInstall,
    dataVolume: realData,
    composeFile: path.join(realInstall, 'docker-compose.yml'),
    plan: plan.files.map((f) => ({ root: f.root, path: f.path, change: f.change })),
    wrote: false,
    warnings: loaded.problems,
  };

  if (opts.dryRun) {
    if (!opts.json) {
      for (const l of planLines(plan)) out.info(l);
      out.info(`plan: ${planSummary(plan)} (dry run: nothing written)`);
    }
    return result;
  }
  if (opts.diff) {
    if (!opts.json) {
      const { fileDiff, redactor } = await import('../apply/report.js');
      const redact = redactor(sensitiveValues(config, secrets));
      for (const f of plan.files) {
        const d = fileDiff(f, redact);
        if (d) out.info(d.trimEnd());
      }
      out.info(`plan: ${planSummary(plan)} (diff only: nothing written)`);
    }
    return result;
  }

  const applied = await applyPlan(plan, { fault: opts.fault });
  result.wrote = applied.wrote;
  if (!opts.json) {
    for (const name of created) out.info(`created secret: ${name}`);
    for (const f of plan.files) if (f.change !== 'unchanged') out.info(`${f.change.padEnd(9)} ${f.root}:${f.path}`);
    out.info(
      applied.wrote
        ? `prepared ${realInstall} (${planSummary(plan)}); data in ${realData}`
        : `nothing to change in ${realInstall}: all ${plan.files.length} files are up to date`,
    );
    if (applied.wrote && !opts.root) out.info(`next: regctl install --config ${configFile}   (checks the host, starts Harbor, waits until it answers)`);
  }
  return result;
}
