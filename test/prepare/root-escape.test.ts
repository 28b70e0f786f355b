/**
 * `data_volume: /../../../../tmp/x` is /tmp/x on the host; under --root R it must be R/tmp/x.
 * path.join(R, '/../../../../tmp/x') alone climbs out of R and wrote the secrets outside it.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleYaml, makeWorkspace } from '../helpers/workspace.js';
import { regctlInProcess } from '../helpers/cli.js';
import { writeFileSync } from 'node:fs';
import { underRoot } from '../../src/util/root.js';
import { tempDirSync } from '../helpers/tmp.js';

const ws = makeWorkspace();
const outside = `regctl-escape-${process.pid}`;
afterAll(() => {
  ws.cleanup();
  rmSync(path.join(os.tmpdir(), outside), { recursive: true, force: true });
});

describe('--root confines every host path', () => {
  it('normalises a climbing path before joining it to the root', () => {
    expect(underRoot('/r', '/../../etc/docker')).toBe('/r/etc/docker');
    expect(underRoot('/r', '/data/../../../x')).toBe('/r/x');
    expect(underRoot(undefined, '/data')).toBe('/data');
  });

  it('prepare with data_volume /../../../../tmp/<x> writes it under the root, nothing outside', async () => {
    const root = tempDirSync('root', { parent: ws.dir });
    const climbing = `/../../../../../../..${os.tmpdir()}/${outside}`;
    writeFileSync(ws.configPath, exampleYaml({ data_volume: climbing, 'log.local.location': path.join(ws.dir, 'log') }));
    const r = await regctlInProcess(['prepare', '--config', ws.configPath, '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(os.tmpdir(), outside))).toBe(false);
    expect(readdirSync(path.join(root, os.tmpdir(), outside, 'secret', 'keys'))).toEqual(['secretkey']);
  });
});
