/**
 * Finding and loading the config: harbor.yml (or a legacy harbor.cfg) → one validated model.
 * Every problem found is returned at once; errors make loadConfig throw (exit 2), and nothing
 * has been written at that point.
 */
import { stat } from 'node:fs/promises';
import { fileKind, readRegularText } from '../util/safe-read.js';
import path from 'node:path';
import type { ConfigDocument } from './document.js';
import type { HarborConfig } from './model.js';
import { parseHarborYml } from './yaml-document.js';
import { parseHarborCfg } from './legacy/index.js';
import { buildModel } from './build-model.js';
import { validateConfig } from './validate.js';
import { RegctlError, ExitCode, invalidConfig, type Problem } from '../errors.js';
import { hostPathResolver, withHostPaths } from '../installation/host-paths.js';
import { bundledExample } from '../util/package-files.js';

export interface LoadedConfig {
  doc: ConfigDocument;
  config: HarborConfig;
  /** warnings (errors make loadConfig throw) */
  problems: Problem[];
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** --config, else ./harbor.yml, else ./harbor.cfg (as Harbor's own tools look for them). */
export async function locateConfig(cwd: string, configPath?: string): Promise<string> {
  if (configPath) {
    const p = path.resolve(cwd, configPath);
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new RegctlError('E_CONFIG_NOT_FOUND', `config file ${p} does not exist`, {
        file: p,
        exitCode: ExitCode.invalidInput,
        fix: `check the path given to --config (to start one: cp ${bundledExample('harbor.yml')} ${p})`,
      });
    }
    if (!st.isFile()) {
      throw new RegctlError(st.isDirectory() ? 'E_CONFIG_NOT_FOUND' : 'E_NOT_REGULAR_FILE', `${p} is ${fileKind(st)}, not a regular file`, { file: p, exitCode: ExitCode.invalidInput, fix: 'point --config at harbor.yml itself' });
    }
    return p;
  }
  for (const name of ['harbor.yml', 'harbor.cfg']) {
    const p = path.join(cwd, name);
    if (await isFile(p)) return p;
  }
  throw new RegctlError('E_CONFIG_NOT_FOUND', `no harbor.yml or harbor.cfg in ${cwd}`, {
    exitCode: ExitCode.invalidInput,
    fix: `pass --config FILE, or run it in the directory that holds harbor.yml (to start one: cp ${bundledExample('harbor.yml')} ${path.join(cwd, 'harbor.yml')})`,
  });
}

/** .cfg → legacy; .yml/.yaml → YAML; otherwise sniff the first meaningful line. */
export function detectFormat(file: string, text: string): 'yml' | 'cfg' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.cfg') return 'cfg';
  if (ext === '.yml' || ext === '.yaml') return 'yml';
  const first = text.split(/\r?\n/).find((l) => l.trim() && !/^[#;]/.test(l));
  return first && /^[A-Za-z_][\w ]*\s*=/.test(first) ? 'cfg' : 'yml';
}

export function parseConfigText(file: string, text: string): { doc?: ConfigDocument; problems: Problem[] } {
  return detectFormat(file, text) === 'cfg' ? parseHarborCfg(file, text) : parseHarborYml(file, text);
}

export interface LoadOptions {
  withTrivy: boolean;
  /** --with-notary: the notary pairs are required with internal TLS */
  withNotary?: boolean;
  schemaVersion: string;
  generateCerts?: boolean;
  /** --root: the files the config names are checked where regctl will read them */
  root?: string;
}

export async function loadConfig(file: string, opts: LoadOptions): Promise<LoadedConfig> {
  let text: string | undefined;
  try {
    text = await readRegularText(file, { follow: true, what: 'the config' });
  } catch (e) {
    if (e instanceof RegctlError) throw e;
    throw new RegctlError('E_CONFIG_READ', `cannot read ${file}: ${(e as Error).message}`, { file, exitCode: ExitCode.invalidInput, fix: 'check the file permissions' });
  }
  if (text === undefined) throw new RegctlError('E_CONFIG_READ', `cannot read ${file}: no such file`, { file, exitCode: ExitCode.invalidInput, fix: 'check the file permissions' });
  return loadConfigText(file, text, opts);
}

export function loadConfigText(file: string, text: string, opts: LoadOptions): LoadedConfig {
  const parsed = parseConfigText(file, text);
  const problems = [...parsed.problems];
  if (!parsed.doc || problems.some((p) => p.severity === 'error')) throw invalidConfig(problems);
  const built = buildModel(parsed.doc, opts.schemaVersion);
  problems.push(...built.problems);
  if (built.config) {
    const hostPath = hostPathResolver(opts.root, built.config);
    problems.push(...validateConfig(parsed.doc, withHostPaths(built.config, hostPath), { ...opts, hostPath }));
  }
  if (!built.config || problems.some((p) => p.severity === 'error')) throw invalidConfig(sortProblems(problems));
  return { doc: parsed.doc, config: built.config, problems: sortProblems(problems) };
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.line ?? 1e9) - (b.line ?? 1e9));
}
