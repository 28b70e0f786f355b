/**
 * `regctl export helm`: resolve the installation, read its secrets and the files its config names,
 * render (render.ts, pure), then write the export directory atomically: a sibling temp dir is
 * filled and fsynced, then renamed into place. An existing --output is replaced only when it is a
 * previous export (holds the marker file and nothing but the export's files); anything else is
 * refused with exit 2, nothing written.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveInstallation } from '../../installation/installation.js';
import { locateConfig } from '../../config/load.js';
import { readInstallationRecord } from '../../installation/record.js';
import { underRoot } from '../../util/root.js';
import { SECRET_PATHS } from '../../secrets/store.js';
import { readRegularText } from '../../util/safe-read.js';
import { ExitCode, RegctlError, type Problem } from '../../errors.js';
import { writeDurable } from '../../util/fs.js';
import { chooseChartLine } from './chart-values/index.js';
import { filesNeeded, renderHelmExport, UnknownChartKeyError, type ExposeType, type HelmExport } from './render.js';
import { Secret } from 'kubernetes-models/v1';

export const EXPORT_MARKER = '.regctl-helm-export';
const EXPORT_FILES = new Set(['values.yaml', 'secret-values.yaml', 'secrets.yaml', 'MIGRATION.md', EXPORT_MARKER]);

export interface ExportHelmOptions {
  cwd: string;
  configPath?: string;
  installDir?: string;
  root?: string;
  output?: string;
  namespace?: string;
  chartVersion?: string;
  expose?: ExposeType;
}

export interface ExportHelmResult {
  output: string;
  chartVersion: string;
  chartLine: string;
  harborVersion: string;
  files: string[];
  gaps: HelmExport['gaps'];
  replaced: boolean;
  findings: Problem[];
}

async function mustRead(file: string, what: string, fix: string): Promise<string> {
  const text = await readRegularText(file, { what });
  if (text === undefined) throw new RegctlError('E_EXPORT_MISSING', `${what} ${file} does not exist`, { file, fix, exitCode: ExitCode.invalidInput });
  return text;
}

/** refuses an --output that is not empty and not a previous export */
async function checkOutput(output: string): Promise<boolean> {
  let entries: string[];
  try {
    const st = await fs.lstat(output);
    if (!st.isDirectory()) throw new RegctlError('E_EXPORT_OUTPUT', `--output ${output} exists and is not a directory`, { file: output, exitCode: ExitCode.invalidInput, fix: 'name a new directory, or remove the file' });
    entries = await fs.readdir(output);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (entries.length === 0) return true;
  const foreign = entries.filter((e) => !EXPORT_FILES.has(e));
  if (!entries.includes(EXPORT_MARKER) || foreign.length) {
    throw new RegctlError('E_EXPORT_OUTPUT', `--output ${output} is not empty and is not a previous regctl export${foreign.length ? ` (holds ${foreign.slice(0, 5).join(', ')})` : ''}`, {
      file: output,
      exitCode: ExitCode.invalidInput,
      fix: 'name a new or empty directory; a previous export (with its .regctl-helm-export marker and only its own files) is replaced',
    });
  }
  return true;
}

/** kubernetes-models' core/v1 Secret schema over every manifest */
export function validateSecrets(exp: HelmExport): void {
  for (const m of exp.secrets) {
    try {
      new Secret(m as never).validate();
    } catch (e) {
      throw new RegctlError('E_EXPORT_INVALID_SECRET', `Secret ${m.metadata.name} does not validate as a core/v1 Secret: ${(e as Error).message}`, { exitCode: ExitCode.failure });
    }
  }
}

export async function runExportHelm(opts: ExportHelmOptions): Promise<ExportHelmResult> {
  // the chart line first, from the installation record: a 2.8 install (with Notary) is refused
  // before its harbor.yml is read against a schema it may not have
  const configFile = await locateConfig(opts.cwd, opts.configPath);
  const record = await readInstallationRecord(underRoot(opts.root, path.resolve(opts.cwd, opts.installDir ?? path.dirname(configFile))));
  if (record) chooseChartLine(record.harborVersion, { requested: opts.chartVersion, withNotary: record.withNotary });
  const { target, problems } = await resolveInstallation({ cwd: opts.cwd, configPath: opts.configPath, installDir: opts.installDir, root: opts.root });
  const chart = chooseChartLine(target.release.version, { requested: opts.chartVersion, withNotary: target.record?.withNotary });
  const namespace = opts.namespace ?? 'harbor';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new RegctlError('E_USAGE', `--namespace ${namespace} is not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63)`, { exitCode: ExitCode.invalidInput, fix: 'for example --namespace harbor' });
  }
  const prepareFix = `run regctl prepare for this install first (it creates data_volume/secret)`;
  const secretKey = await mustRead(path.join(target.dataVolume, SECRET_PATHS.secretKey), 'the secretkey', prepareFix);
  const tokenKeyPem = await mustRead(path.join(target.dataVolume, SECRET_PATHS.tokenKey), 'the token-signing key', prepareFix);
  const tokenCertPem = await mustRead(path.join(target.dataVolume, SECRET_PATHS.tokenCert), 'the token-signing certificate', prepareFix);
  const files = new Map<string, string>();
  for (const p of filesNeeded(target.config)) files.set(p, await mustRead(target.hostPath(p), 'a file the config names,', 'check the path in harbor.yml (and --root)'));

  let exp: HelmExport;
  try {
    exp = renderHelmExport({
      config: target.config,
      harborVersion: target.release.version,
      withTrivy: target.record?.withTrivy ?? false,
      chart,
      namespace,
      expose: opts.expose ?? 'ingress',
      secrets: { secretKey, tokenKeyPem, tokenCertPem, files },
      internalNoProxyExtra: target.release.output.proxy.internalNoProxyExtra,
    });
  } catch (e) {
    if (e instanceof UnknownChartKeyError) throw new RegctlError('E_EXPORT_CHART_KEY', e.message, { exitCode: ExitCode.failure, fix: 'a regctl bug: please report it with the config' });
    throw e;
  }
  validateSecrets(exp);

  const output = path.resolve(opts.cwd, opts.output ?? 'harbor-helm-export');
  const replaced = await checkOutput(output);
  const stamp = `${process.pid}-${Date.now()}`;
  const tmp = `${output}.tmp-${stamp}`;
  await fs.mkdir(tmp, { mode: 0o700 });
  try {
    for (const f of exp.files) await writeDurable(path.join(tmp, f.path), f.content, f.mode, 'wx');
    await writeDurable(path.join(tmp, EXPORT_MARKER), `regctl export helm, chart ${chart.chartVersion}\n`, 0o644, 'wx');
    if (replaced) {
      const old = `${output}.old-${stamp}`;
      await fs.rename(output, old);
      await fs.rename(tmp, output);
      await fs.rm(old, { recursive: true, force: true });
    } else {
      await fs.rename(tmp, output);
    }
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return {
    output,
    chartVersion: chart.chartVersion,
    chartLine: chart.line,
    harborVersion: target.release.version,
    files: exp.files.map((f) => f.path),
    gaps: exp.gaps,
    replaced,
    findings: problems,
  };
}
