/**
 * containerd (ctr, nerdctl, Kubernetes CRI): /etc/containerd/certs.d/<host[:port]>/hosts.toml
 * naming the server and its CA. CRI only reads that directory when config.toml sets
 * `config_path` for it, which many installations lack, so that is checked and explained.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { underRoot } from '../../util/root.js';
import { CA_FILE_MODE } from '../certs-dir.js';
import { heredocFile } from '../shell.js';
import type { PlannedFile, TrustRequest, TrustTarget } from '../types.js';

export const CONTAINERD_CERTS_DIR = '/etc/containerd/certs.d';
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';

export function hostsToml(serverUrl: string, caPath: string, registryName: string): string {
  return [
    `# Written by regctl cert trust: containerd verifies ${serverUrl} with the CA in ca.crt.`,
    `# Remove with: regctl cert untrust --registry ${registryName}`,
    `server = "${serverUrl}"`,
    '',
    `[host."${serverUrl}"]`,
    '  capabilities = ["pull", "resolve", "push"]',
    `  ca = "${caPath}"`,
    '',
  ].join('\n');
}

function files(req: TrustRequest): PlannedFile[] {
  const out: PlannedFile[] = [];
  for (const dir of req.registry.dirNames) {
    const base = path.posix.join(CONTAINERD_CERTS_DIR, dir);
    const caPath = path.posix.join(base, 'ca.crt');
    out.push({ path: caPath, content: req.caPem, mode: CA_FILE_MODE });
    out.push({ path: path.posix.join(base, 'hosts.toml'), content: hostsToml(`https://${dir}`, caPath, req.registry.name), mode: CA_FILE_MODE });
  }
  return out;
}

/** The config_path values in containerd's config.toml, or undefined when there is no config file. */
export async function containerdConfigPaths(root: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await fs.readFile(underRoot(root, CONTAINERD_CONFIG), 'utf8');
  } catch {
    return undefined;
  }
  const paths: string[] = [];
  for (const m of text.matchAll(/^\s*config_path\s*=\s*["']([^"']*)["']/gm)) paths.push(...m[1]!.split(':'));
  return paths;
}

export const containerdTarget: TrustTarget = {
  name: 'containerd',
  consumers: 'containerd (ctr, nerdctl, Kubernetes CRI)',
  async plan(req) {
    const warnings: string[] = [];
    let restart: string | undefined;
    const configPaths = await containerdConfigPaths(req.root);
    if (configPaths && !configPaths.some((p) => p.replace(/\/$/, '') === CONTAINERD_CERTS_DIR)) {
      warnings.push(
        `${CONTAINERD_CONFIG} sets no config_path for ${CONTAINERD_CERTS_DIR}, so CRI (Kubernetes) pulls ignore hosts.toml (ctr --hosts-dir and nerdctl read it anyway). ` +
          `Add config_path = "${CONTAINERD_CERTS_DIR}" under [plugins."io.containerd.grpc.v1.cri".registry] (containerd 1.x) or [plugins."io.containerd.cri.v1.images".registry] (2.x), then restart containerd`,
      );
      restart = 'containerd, once config_path is set (systemctl restart containerd)';
    }
    return { target: 'containerd', files: files(req), warnings, restart };
  },
  printScript(req) {
    return [
      ...files({ ...req, root: '/' }).flatMap(heredocFile),
      `grep -Eq 'config_path *= *"[^"]*${CONTAINERD_CERTS_DIR}' ${CONTAINERD_CONFIG} 2>/dev/null || echo 'warning: containerd CRI reads ${CONTAINERD_CERTS_DIR} only with config_path = "${CONTAINERD_CERTS_DIR}" in the registry section of ${CONTAINERD_CONFIG} (then restart containerd); ctr --hosts-dir and nerdctl read it anyway' >&2`,
    ];
  },
};
