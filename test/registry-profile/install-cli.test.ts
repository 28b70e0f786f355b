/** install --profile: the refusals that come before anything touches Docker (exit 2, nothing written). */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { regctlInProcess, jsonResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('regctl install --profile', () => {
  it('refuses an unknown profile and flags of the other profile', async () => {
    const unknown = await regctlInProcess(['install', '--profile', 'quay', '--json']);
    expect(unknown.code).toBe(2);
    expect(jsonResult(unknown.stdout).error).toMatchObject({ code: 'E_USAGE' });
    const insecureHarbor = await regctlInProcess(['install', '--insecure']);
    expect(insecureHarbor.code).toBe(2);
    expect(insecureHarbor.stderr + insecureHarbor.stdout).toContain('--profile registry');
    const trivy = await regctlInProcess(['install', '--profile', 'registry', '--with-trivy']);
    expect(trivy.code).toBe(2);
    expect(trivy.stderr + trivy.stdout).toContain('--with-trivy');
  });

  it('stops on a bad registry.yml with file, line and key, and writes nothing', async () => {
    const dir = await tempDir('regctl-registry-cli');
    const file = path.join(dir, 'registry.yml');
    await writeFile(file, 'hostname: reg.example.com\nauth:\n  htpasswd: h\n  realm: x\nstorage: {directory: s}\n');
    const r = await regctlInProcess(['install', '--profile', 'registry', '--config', file, '--insecure', '--json']);
    expect(r.code).toBe(2);
    const env = jsonResult(r.stdout);
    expect(JSON.stringify(env)).toContain(`"file":"${file}"`);
    expect(JSON.stringify(env)).toMatch(/"line":4.*"key":"auth.realm"|"key":"auth.realm".*"line":4/);
    expect(existsSync(path.join(dir, 'docker-compose.yml'))).toBe(false);
  });

  it('shows a --profile registry example in --help', async () => {
    const r = await regctlInProcess(['install', '--help']);
    expect(r.stdout).toContain('regctl install --profile registry --config registry.yml --generate-certs');
  });
});
