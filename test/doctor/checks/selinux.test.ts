/**
 * The SELinux check with a stub context: the mode is read from <hostRoot>/sys/fs/selinux/enforce
 * (a temp root here), the binds from the target's rendered docker-compose.yml (written by hand).
 */
import { describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { selinuxCheck, selinuxMode } from '../../../src/doctor/checks/selinux.js';
import { stubContext, useScratch } from './stub-context.js';

const FIX = 'run `regctl prepare` so every data_volume bind carries :z, and keep data_volume on a filesystem with SELinux labels (not NFS/CIFS)';

describe('doctor check: selinux', () => {
  const scratch = useScratch();
  /** A host root whose /sys/fs/selinux/enforce holds `enforce` (no file when undefined). */
  const hostRoot = async (enforce: string | undefined) => {
    const root = await scratch.tempDir();
    if (enforce !== undefined) {
      await mkdir(path.join(root, 'sys', 'fs', 'selinux'), { recursive: true });
      await writeFile(path.join(root, 'sys', 'fs', 'selinux', 'enforce'), enforce);
    }
    return root;
  };

  it('passes when SELinux is not enabled (no selinuxfs)', async () => {
    const root = await hostRoot(undefined);
    expect(await selinuxMode(root)).toBe('disabled');
    expect(await selinuxCheck.run(stubContext({ hostRoot: root }))).toEqual([{ check: 'selinux', status: 'pass', detail: 'SELinux is not enabled', fix: '' }]);
  });

  it('passes when SELinux is permissive', async () => {
    const root = await hostRoot('0\n');
    expect(await selinuxCheck.run(stubContext({ hostRoot: root }))).toEqual([{ check: 'selinux', status: 'pass', detail: 'SELinux is permissive', fix: '' }]);
  });

  it('warns when enforcing and there is no target', async () => {
    const root = await hostRoot('1\n');
    expect(await selinuxMode(root)).toBe('enforcing');
    expect(await selinuxCheck.run(stubContext({ hostRoot: root }))).toEqual([
      { check: 'selinux', status: 'warn', detail: 'SELinux is enforcing: bind mounts must be relabeled (:z); the compose file is not rendered yet', fix: FIX },
    ]);
  });

  it('warns when enforcing and the compose file is not rendered yet', async () => {
    const root = await hostRoot('1');
    const { target } = await scratch.target();
    const [r] = await selinuxCheck.run(stubContext({ hostRoot: root, target }));
    expect(r).toEqual({ check: 'selinux', status: 'warn', detail: 'SELinux is enforcing: bind mounts must be relabeled (:z); the compose file is not rendered yet', fix: FIX });
  });

  it('warns naming each data_volume bind without :z, and only those', async () => {
    const root = await hostRoot('1');
    const { target } = await scratch.target();
    const dv = target.dataVolume;
    await writeFile(
      target.composeFile,
      [
        'services:',
        '  registry:',
        '    image: goharbor/registry-photon:v2.15.2',
        '    volumes:',
        `      - ${dv}/registry:/storage`,
        '      - ./common/config/registry/:/etc/registry/:ro',
        '  postgresql:',
        '    image: goharbor/harbor-db:v2.15.2',
        '    volumes:',
        `      - ${dv}/database:/var/lib/postgresql/data:z`,
        '  redis:',
        '    image: goharbor/redis-photon:v2.15.2',
        '    volumes:',
        `      - ${dv}/redis:/var/lib/redis:ro`,
        '  core:',
        '    image: goharbor/harbor-core:v2.15.2',
        '    volumes:',
        '      - type: bind',
        `        source: ${dv}/secret/core/private_key.pem`,
        '        target: /etc/core/private_key.pem',
        '        bind:',
        '          selinux: z',
        '',
      ].join('\n'),
    );
    expect(await selinuxCheck.run(stubContext({ hostRoot: root, target }))).toEqual([
      {
        check: 'selinux',
        status: 'warn',
        detail: `SELinux is enforcing and these binds are not relabeled: registry: ${dv}/registry:/storage; redis: ${dv}/redis:/var/lib/redis:ro`,
        fix: FIX,
      },
    ]);
  });

  it('passes when enforcing and every data_volume bind is relabeled (:z, :Z, rw,z)', async () => {
    const root = await hostRoot('1');
    const { target } = await scratch.target();
    const dv = target.dataVolume;
    await writeFile(
      target.composeFile,
      `services:\n  registry:\n    volumes:\n      - ${dv}/registry:/storage:z\n  redis:\n    volumes:\n      - ${dv}/redis:/var/lib/redis:rw,Z\n  log:\n    volumes:\n      - ${target.logDir}:/var/log/docker/:z\n  other:\n    volumes:\n      - ${dv}2/elsewhere:/x\n`,
    );
    // ${dv}2 is another directory, not a bind of data_volume
    expect(await selinuxCheck.run(stubContext({ hostRoot: root, target }))).toEqual([
      { check: 'selinux', status: 'pass', detail: 'SELinux is enforcing; the compose file relabels data_volume binds with :z', fix: '' },
    ]);
  });

  it('warns about the log dir bind without :z too', async () => {
    const root = await hostRoot('1');
    const { target } = await scratch.target();
    await writeFile(target.composeFile, `services:\n  log:\n    volumes:\n      - ${target.logDir}/:/var/log/docker/\n`);
    expect((await selinuxCheck.run(stubContext({ hostRoot: root, target })))[0]).toMatchObject({ status: 'warn', detail: expect.stringContaining(`log: ${target.logDir}/:/var/log/docker/`) });
  });

  it('an unparsable compose file is a warning, not a pass', async () => {
    const root = await hostRoot('1');
    const { target } = await scratch.target();
    await writeFile(target.composeFile, 'services: [unclosed\n');
    expect((await selinuxCheck.run(stubContext({ hostRoot: root, target })))[0]).toMatchObject({ status: 'warn', detail: expect.stringContaining('cannot be checked for :z binds') });
  });
});
