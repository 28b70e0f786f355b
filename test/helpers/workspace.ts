/**
 * Temp workspaces for tests: a directory with the example certificates and a harbor.yml built
 * from examples/harbor.yml with edits, so every test runs against real files.
 */
import { mkdirSync, copyFileSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { unmanagedTempDirSync } from './tmp.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const examplesDir = path.join(repoRoot, 'examples');

export interface Workspace {
  dir: string;
  certDir: string;
  dataDir: string;
  installDir: string;
  configPath: string;
  cleanup(): void;
}

/** Edits: dotted key path → value (undefined deletes the key). */
export type YamlEdits = Record<string, unknown>;

/** the example (2.15) harbor.yml as the 2.8 template has it: _version 2.8.0, without the keys 2.8 does not read */
export const HARBOR_YML_V28_EDITS: YamlEdits = {
  _version: '2.8.0',
  'trivy.skip_java_db_update': undefined,
  'trivy.db_repository': undefined,
  'trivy.java_db_repository': undefined,
  'jobservice.max_job_duration_hours': undefined,
  'jobservice.job_loggers': undefined,
};

export function exampleYaml(edits: YamlEdits = {}, base = readFileSync(path.join(examplesDir, 'harbor.yml'), 'utf8')): string {
  const doc = parseDocument(base);
  for (const [k, v] of Object.entries(edits)) {
    const p = k.split('.');
    if (v === undefined) doc.deleteIn(p);
    else doc.setIn(p, v);
  }
  return doc.toString();
}

export function makeWorkspace(edits: YamlEdits = {}, opts: { rawYaml?: string } = {}): Workspace {
  const dir = unmanagedTempDirSync('regctl-test'); // removed by cleanup()
  const certDir = path.join(dir, 'certs');
  mkdirSync(certDir);
  for (const f of ['ca.crt', 'ca.key', 'registry.crt', 'registry.key']) copyFileSync(path.join(examplesDir, 'certs', f), path.join(certDir, f));
  const dataDir = path.join(dir, 'data');
  const installDir = path.join(dir, 'install');
  mkdirSync(installDir);
  const configPath = path.join(dir, 'harbor.yml');
  const text = opts.rawYaml ?? exampleYaml({ data_volume: dataDir, 'log.local.location': path.join(dir, 'log'), ...edits });
  writeFileSync(configPath, text);
  return { dir, certDir, dataDir, installDir, configPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
