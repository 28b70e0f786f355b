import { beforeAll, describe, expect, it } from 'vitest';
import { loadTrustAnchor } from '../../src/trust/ca-source.js';
import { insecureScript, trustScript } from '../../src/trust/print.js';
import { parseRegistry } from '../../src/trust/registry.js';
import { caOnDisk } from './helpers.js';
import { tempDir } from '../helpers/tmp.js';

let caPem: string;
beforeAll(async () => {
  const dir = await tempDir('regctl-print');
  caPem = (await loadTrustAnchor((await caOnDisk(dir + '/ca')).certPath)).pem;
});

describe('trust --print', () => {
  it('prints per-runtime commands that create exactly the files trust would, with the CA only', async () => {
    const script = (await trustScript(parseRegistry('reg.example.com:5000'), caPem, ['docker', 'containerd', 'containers', 'system'])).join('\n');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain("cat > '/etc/docker/certs.d/reg.example.com:5000/ca.crt' <<'REGCTL_EOF'");
    expect(script).toContain("cat > '/etc/containers/certs.d/reg.example.com:5000/ca.crt' <<'REGCTL_EOF'");
    expect(script).toContain("cat > '/etc/containerd/certs.d/reg.example.com:5000/hosts.toml' <<'REGCTL_EOF'");
    expect(script).toContain('ca = "/etc/containerd/certs.d/reg.example.com:5000/ca.crt"');
    expect(script).toMatch(/grep -Eq 'config_path.*\/etc\/containerd\/certs.d'/);
    // the system store is detected on the machine that runs the script, in mkcert's order
    expect(script).toMatch(/if \[ -d \/etc\/pki\/ca-trust\/source\/anchors \].*\n.*update-ca-trust extract[\s\S]*elif \[ -f \/etc\/alpine-release \][\s\S]*elif \[ -d \/usr\/local\/share\/ca-certificates \][\s\S]*trust extract-compat[\s\S]*\/usr\/share\/pki\/trust\/anchors/);
    expect(script).toContain('"$dir/regctl-reg.example.com_5000$ext"');
    expect(script).toMatch(/restart the Docker daemon/);
    expect(script).not.toContain('PRIVATE KEY');
    expect(script.split(caPem.trimEnd()).length - 1).toBe(4);
  });

  it('insecure: a python3 merge that keeps other keys and backs up', () => {
    const s = insecureScript(parseRegistry('10.0.0.5:5000')).join('\n');
    expect(s).toContain("python3 - '/etc/docker/daemon.json' '10.0.0.5:5000'");
    expect(s).toContain("config.setdefault('insecure-registries', [])");
    expect(s).toContain('.bak-');
  });
});
