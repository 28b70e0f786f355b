/**
 * One `regctl prepare` run: load + validate → secrets → render (pure) → plan → apply or report.
 * `regctl install` calls this too. Nothing is written before the whole config has been validated
 * and the whole tree rendered. Progress goes to `opts.out` while it runs; what it found and did
 * comes back in the result (findings, lines), for the one renderer to print.
 */
import path from 'node:path';
import { pathExists as exists, readIfExists } from '../util/fs.js';
import { underRoot } from '../util/root.js';
import { locateConfig, loadConfig } from '../config/load.js';
import { checkNotaryConfig, checkNotaryRequest, chooseRelease } from '../installation/release-choice.js';
import { loadOrCreateSecrets } from '../secrets/store.js';
import { renderInstallTree } from '../render/render.js';
import { planTree, type Plan } from '../apply/plan.js';
import { applyPlan, hasInterruptedApply, recoverInterruptedApply, removeStaleStaging, type FaultInjection } from '../apply/transaction.js';
import { planLines, planSummary } from '../apply/plan-text.js';
import { RegctlError, problem, type Problem } from '../errors.js';
import { copySourceResolver, hostPathResolver } from '../installation/host-paths.js';
import { exampleCertificateFindings } from '../cert/example-certs.js';
import type { PrepareResult, PrepareRunOptions } from './types.js';
import type { HarborConfig } from '../config/model.js';
import type { HarborRelease } from '../releases/types.js';
import type { Secrets } from '../secrets/types.js';
import type { Output } from '../output.js';
import { lockPaths } from '../util/run-lock.js';

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
  if (secrets.notary) v.push(secrets.notary.defaultAlias);
  for (const db of Object.values(config.notaryDatabases ?? {})) if (db) v.push(db.password, encodeURIComponent(db.password));
  return v.filter(Boolean);
}

/** A kill -9 mid-swap left a journal: roll it back first (or refuse a read-only run on a half tree). */
async function recoverEarlierRun(realInstall: string, realData: string, readOnly: boolean): Promise<Problem[]> {
  if (readOnly) {
    if (await hasInterruptedApply(realInstall)) {
      throw new RegctlError('E_INTERRUPTED', `an earlier prepare in ${realInstall} was interrupted mid-write`, {
        fix: 'run `regctl prepare` without --dry-run/--diff once: it restores the previous files first',
      });
    }
    return [];
  }
  const recovered = await recoverInterruptedApply(realInstall, realData);
  const stale = await removeStaleStaging({ install: realInstall, data: realData });
  const out: Problem[] = [];
  if (recovered) out.push(problem('warning', 'W_RECOVERED', `an earlier prepare was interrupted mid-write; its changes were rolled back in ${realInstall}`));
  if (stale && !recovered) out.push(problem('note', 'N_STALE_STAGING_REMOVED', `removed ${stale} staging director${stale === 1 ? 'y' : 'ies'} an interrupted run left (they held copies of secrets)`));
  return out;
}

/** --generate-certs: a CA (kept in data_volume/secret/ca) and a server certificate, only when both files are missing. */
async function generateCertificates(config: HarborConfig, caDir: string, at: (p: string) => string, out: Output): Promise<void> {
  if (!config.https) return;
  const certPath = at(config.https.certificate);
  const keyPath = at(config.https.privateKey);
  const { ensureServerCertificate, defaultServerSans } = await import('../cert/for-prepare.js');
  const { machineIdentity } = await import('../cert/host-identity.js');
  const host = await machineIdentity();
  const sans = defaultServerSans(config.hostname, config.externalUrl, host.interfaces, host.fqdn);
  if (!(await exists(certPath)) && !(await exists(keyPath))) out.info(`generating a CA and a server certificate for ${sans.join(', ')} ...`);
  const made = await ensureServerCertificate({ caDir, certPath, keyPath, sans });
  if (made.createdCa) out.info(`created CA ${made.caCertPath} (kept and reused by later runs)`);
  if (made.createdLeaf) out.info(`created server certificate ${certPath} and key ${keyPath}`);
}

async function reportOnly(plan: Plan, opts: PrepareRunOptions, config: HarborConfig, secrets: Secrets): Promise<string[]> {
  if (opts.dryRun) return [...planLines(plan), `plan: ${planSummary(plan)} (dry run: nothing written)`];
  const { fileDiff, redactor } = await import('../apply/report.js');
  const redact = redactor(sensitiveValues(config, secrets));
  const diffs = plan.files.map((f) => fileDiff(f, redact)).filter(Boolean).map((d) => d!.trimEnd());
  return [...diffs, `plan: ${planSummary(plan)} (diff only: nothing written)`];
}

export async function runPrepare(opts: PrepareRunOptions & { fault?: FaultInjection }): Promise<PrepareResult> {
  const { out } = opts;
  const configFile = await locateConfig(opts.cwd, opts.configPath);
  const installDir = path.resolve(opts.cwd, opts.installDir ?? path.dirname(configFile));
  const realInstall = underRoot(opts.root, installDir);
  const choice = await chooseRelease(realInstall, opts.release);
  const { release } = choice;
  const withNotary = Boolean(opts.withNotary);
  checkNotaryRequest(release, withNotary);
  const loaded = await loadConfig(configFile, { withTrivy: opts.withTrivy, withNotary, schemaVersion: release.schemaVersion, generateCerts: opts.generateCerts, root: opts.root });
  loaded.problems.push(...choice.findings);
  const { config } = loaded;
  checkNotaryConfig(config, withNotary);
  const at = hostPathResolver(opts.root, config);
  const realData = underRoot(opts.root, config.dataVolume);
  // one run at a time per tree, --dry-run/--diff included: they must never read a half-swapped tree
  const releaseLock = opts.lockHeld ? async () => {} : await lockPaths(
    [
      { path: realInstall, what: 'prepare: install dir' },
      { path: realData, what: 'prepare: data_volume' },
    ],
    { waitMs: opts.lockWaitMs, lockDir: opts.lockDir, onWait: (m) => out.info(m) },
  );
  try {
    return await prepareLocked(opts, { configFile, loaded, release, at, realInstall, realData });
  } finally {
    await releaseLock();
  }
}

interface LoadedRun {
  configFile: string;
  loaded: Awaited<ReturnType<typeof loadConfig>>;
  release: HarborRelease;
  at: (p: string) => string;
  realInstall: string;
  realData: string;
}

async function prepareLocked(opts: PrepareRunOptions & { fault?: FaultInjection }, run: LoadedRun): Promise<PrepareResult> {
  const { out } = opts;
  const { configFile, loaded, release, at, realInstall, realData } = run;
  const { config } = loaded;
  const readOnly = Boolean(opts.dryRun || opts.diff);
  const findings: Problem[] = [...loaded.problems, ...(await recoverEarlierRun(realInstall, realData, readOnly))];

  const caDir = path.join(realData, 'secret', 'ca');
  if (opts.generateCerts && config.https && !readOnly) await generateCertificates(config, caDir, at, out);
  else if (opts.generateCerts && config.https) {
    findings.push(problem('note', 'N_GENERATE_CERTS_READ_ONLY', '--generate-certs does nothing with --dry-run/--diff; the plan assumes the certificate files exist'));
  }
  findings.push(...(await exampleCertificateFindings(config.https, at, (f) => readIfExists(f))));
  const caDownloadSource = opts.caFile
    ? path.resolve(opts.cwd, opts.caFile)
    : config.https?.caFile ?? ((await exists(path.join(caDir, 'ca.crt'))) ? path.join(caDir, 'ca.crt') : undefined);

  const { secrets, created } = await loadOrCreateSecrets(realData, realInstall, new Date(), (what) => out.info(`${what} ...`), { withNotary: Boolean(opts.withNotary) });
  const copySource = copySourceResolver(opts.root, config);
  const entries = renderInstallTree({
    config,
    secrets,
    release,
    options: { withTrivy: opts.withTrivy, withNotary: Boolean(opts.withNotary), imagePrefix: opts.imagePrefix, caDownloadSource },
  }).map((e) => (e.kind === 'copy' ? { ...e, from: copySource(e.from) } : e));
  const plan = await planTree(entries, { install: realInstall, data: realData });
  for (const f of plan.files.filter((x) => x.replacing)) {
    findings.push(
      problem('warning', 'W_UNSAFE_FILE_REPLACED', `${path.join(plan.roots[f.root], f.path)} was ${f.replacing}, where regctl keeps its own file; it was not read or followed${readOnly ? ', and a write would replace it' : ' and is replaced'}`, {
        fix: 'something other than regctl put it there (data_volume is shared with the containers): find out what, if it is not a leftover',
      }),
    );
  }
  const result: PrepareResult = {
    config,
    configFile,
    installDir: realInstall,
    dataVolume: realData,
    composeFile: path.join(realInstall, 'docker-compose.yml'),
    plan: plan.files.map((f) => ({ root: f.root, path: f.path, change: f.change })),
    wrote: false,
    created,
    findings,
    lines: [],
  };
  if (readOnly) {
    result.lines = await reportOnly(plan, opts, config, secrets);
    return result;
  }

  const applied = await applyPlan(plan, { fault: opts.fault });
  result.wrote = applied.wrote;
  result.lines = [
    ...created.map((name) => `created secret: ${name}`),
    ...plan.files.filter((f) => f.change !== 'unchanged').map((f) => `${f.change.padEnd(9)} ${f.root}:${f.path}`),
    applied.wrote
      ? `prepared ${realInstall} (${planSummary(plan)}); data in ${realData}`
      : `nothing to change in ${realInstall}: all ${plan.files.length} files are up to date`,
  ];
  return result;
}
