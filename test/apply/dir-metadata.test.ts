/**
 * Mode and owner changes never follow a link: data_volume is writable by uid 10000 in the
 * containers, which could swap a directory regctl is about to chmod/chown for a link to /etc.
 */
import { chmodSync, existsSync, lstatSync, renameSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { chownTreeNoFollow, readDirectoryMetadata, setDirectoryMetadata } from '../../src/util/dir-metadata.js';
import { planTree } from '../../src/apply/plan.js';
import { applyPlan } from '../../src/apply/transaction.js';

const asRoot = process.getuid?.() === 0;

describe('directory metadata through O_NOFOLLOW descriptors', () => {
  it('chmod and stat of a link fail (ELOOP/ENOTDIR) and the directory it points at keeps its mode', async () => {
    const d = await tempDir();
    const victim = path.join(d, 'etc');
    mkdirSync(victim, { mode: 0o755 });
    chmodSync(victim, 0o755);
    symlinkSync(victim, path.join(d, 'cert'));
    // Linux answers O_DIRECTORY|O_NOFOLLOW on a link with ENOTDIR (ELOOP without O_DIRECTORY)
    await expect(setDirectoryMetadata(path.join(d, 'cert'), 0o777)).rejects.toMatchObject({ code: expect.stringMatching(/^(ELOOP|ENOTDIR)$/) });
    await expect(readDirectoryMetadata(path.join(d, 'cert'))).rejects.toMatchObject({ code: expect.stringMatching(/^(ELOOP|ENOTDIR)$/) });
    expect(statSync(victim).mode & 0o7777).toBe(0o755);
    await setDirectoryMetadata(victim, 0o750);
    expect(statSync(victim).mode & 0o7777).toBe(0o750);
  });

  it.runIf(asRoot)('chown -R re-owns links themselves, never what they point at', async () => {
    const d = await tempDir();
    const outside = path.join(d, 'outside');
    mkdirSync(path.join(outside, 'deep'), { recursive: true });
    writeFileSync(path.join(outside, 'shadow'), 'x');
    const tree = path.join(d, 'tree');
    mkdirSync(path.join(tree, 'sub'), { recursive: true });
    writeFileSync(path.join(tree, 'sub', 'file'), 'y');
    symlinkSync(outside, path.join(tree, 'sub', 'link-to-dir'));
    symlinkSync(path.join(outside, 'shadow'), path.join(tree, 'link-to-file'));
    await chownTreeNoFollow(tree, 10000, 10000);
    expect(statSync(path.join(tree, 'sub')).uid).toBe(10000);
    expect(statSync(path.join(tree, 'sub', 'file')).uid).toBe(10000);
    expect(lstatSync(path.join(tree, 'sub', 'link-to-dir')).uid).toBe(10000);
    expect(lstatSync(path.join(tree, 'link-to-file')).uid).toBe(10000);
    for (const p of [outside, path.join(outside, 'deep'), path.join(outside, 'shadow')]) expect(statSync(p).uid).toBe(0);
  });

  for (const existedAtPlan of [true, false]) {
    it.runIf(asRoot)(`a directory ${existedAtPlan ? 'swapped for' : 'planted as'} a link between plan and apply: nothing is written, the link target untouched`, async () => {
      const d = await tempDir();
      const root = path.join(d, 'data');
      const victim = path.join(d, 'etc');
      mkdirSync(path.join(root, 'secret'), { recursive: true, mode: 0o755 });
      if (existedAtPlan) mkdirSync(path.join(root, 'secret', 'cert'), { mode: 0o755 });
      mkdirSync(victim, { mode: 0o755 });
      chmodSync(victim, 0o755);
      const plan = await planTree(
        [
          { kind: 'dir', root: 'data', path: 'secret/cert', mode: 0o700, owner: { uid: 10000, gid: 10000 }, recursiveOwner: true },
          { kind: 'file', root: 'data', path: 'secret/other.txt', content: 'z', mode: 0o600, owner: { uid: 0, gid: 0 } },
        ] as never,
        { install: path.join(d, 'install'), data: root },
      );
      // the container's move: the planned directory is now a link to /etc
      if (existedAtPlan) renameSync(path.join(root, 'secret', 'cert'), path.join(d, 'moved'));
      symlinkSync(victim, path.join(root, 'secret', 'cert'));
      await expect(applyPlan(plan)).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|E_APPLY_FAILED)$/) });
      expect(statSync(victim).mode & 0o7777).toBe(0o755);
      expect(statSync(victim).uid).toBe(0);
      expect(existsSync(path.join(root, 'secret', 'other.txt'))).toBe(false);
      expect(existsSync(path.join(root, '.regctl-staging'))).toBe(false);
    });
  }
});
