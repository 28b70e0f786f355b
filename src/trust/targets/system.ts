/**
 * The host's system trust store, detected like mkcert does. Docker also trusts these roots, but
 * loads them once at start: a daemon restart is needed. Debian needs one certificate per file,
 * so a CA bundle becomes numbered files.
 */
import path from 'node:path';
import { RegctlError } from '../../errors.js';
import { pemBlocks } from '../../cert/pem.js';
import { CA_FILE_MODE } from '../certs-dir.js';
import { detectSystemStore, SYSTEM_STORES, SystemStoreLayout } from '../system-stores/index.js';
import type { PlannedFile, TrustRequest, TrustTarget } from '../types.js';

const RESTART = 'the Docker daemon (systemctl restart docker): it reads the system roots only at start';

function anchorFiles(layout: SystemStoreLayout, req: Omit<TrustRequest, 'root'>): PlannedFile[] {
  const certs = pemBlocks(req.caPem).filter((b) => b.label === 'CERTIFICATE');
  return certs.map((b, i) => ({
    path: path.posix.join(layout.anchorDir, layout.fileName(`regctl-${req.registry.key}${certs.length > 1 ? `-${i + 1}` : ''}`)),
    content: b.text + '\n',
    mode: CA_FILE_MODE,
  }));
}

export const systemTarget: TrustTarget = {
  name: 'system',
  consumers: 'the system CA store (curl, Go programs, the Docker daemon after a restart)',
  async plan(req) {
    const layout = await detectSystemStore(req.root);
    if (!layout) {
      throw new RegctlError('E_TRUST_NO_SYSTEM_STORE', `no known system CA store under ${req.root} (looked for ${SYSTEM_STORES.map((s) => s.marker).join(', ')})`, {
        fix: 'install the ca-certificates package, or leave "system" out of --targets',
      });
    }
    return { target: 'system', files: anchorFiles(layout, req), refreshCommand: layout.refreshCommand, restart: RESTART, warnings: [] };
  },
  printScript(req) {
    const lines = ['# system CA store: detect the layout like mkcert does, install, rebuild the bundle'];
    SYSTEM_STORES.forEach((layout, i) => {
      const test = layout.marker.endsWith('-release') ? '-f' : '-d';
      const ext = path.posix.extname(layout.fileName('x'));
      lines.push(`${i === 0 ? 'if' : 'elif'} [ ${test} ${layout.marker} ]; then  # ${layout.name}`);
      lines.push(`  dir=${layout.anchorDir}; ext=${ext}; refresh='${layout.refreshCommand.join(' ')}'`);
    });
    lines.push('else', "  echo 'no known system CA store; skipping' >&2; dir=", 'fi');
    lines.push('if [ -n "$dir" ]; then', '  mkdir -p "$dir"');
    const certs = pemBlocks(req.caPem).filter((b) => b.label === 'CERTIFICATE');
    certs.forEach((b, i) => {
      const file = `"$dir/regctl-${req.registry.key}${certs.length > 1 ? `-${i + 1}` : ''}$ext"`;
      lines.push(`  cat > ${file} <<'REGCTL_CA'`, b.text, 'REGCTL_CA', `  chmod 644 ${file}`);
    });
    lines.push('  $refresh', `  echo 'now restart ${RESTART}'`, 'fi');
    return lines;
  },
};
