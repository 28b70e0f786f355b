/**
 * The try-out path README promises: its first command (read from README itself, with the root
 * moved to a temp dir), then doctor, prepare --generate-certs and prepare again with the same
 * --root, all succeeding, the last one changing nothing. Doctor needs the engine (and Harbor's
 * container names free), hence an e2e suite.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { describeWithDocker, lockHarborNames } from './helpers/engine.js';
import { regctl, jsonResult, repoRoot } from './helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';

/** README's first ```sh line, as the list of commands joined by && */
function readmeFirstCommand(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const first = /```sh\n([^\n]+)\n/.exec(readme)![1]!;
  return first.split('&&').map((c) => c.trim());
}

describeWithDocker("README's try-out path", () => {
  const dir = tempDirSync('regctl-readme');
  const root = path.join(dir, 'regctl-example');

  it('first command, then doctor, prepare --generate-certs and prepare again all succeed under the same --root', async () => {
    const steps = readmeFirstCommand();
    expect(steps.slice(0, 2)).toEqual(['npm ci', 'npm run build']); // the suite's pretest has built already
    const mkdir = steps.find((s) => s.startsWith('mkdir '))!;
    const prepare = steps.find((s) => s.startsWith('node bin/regctl '))!;
    expect(prepare).toContain('--root /tmp/regctl-example');
    await execa('sh', ['-c', mkdir.replaceAll('/tmp/regctl-example', root)]);
    const args = prepare.replace('node bin/regctl ', '').replaceAll('/tmp/regctl-example', root).split(/\s+/);

    const first = await regctl([...args, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const config = args[args.indexOf('--config') + 1]!;

    const release = await lockHarborNames();
    try {
      const doctor = await regctl(['doctor', '--config', config, '--root', root, '--json']);
      const checks = jsonResult(doctor.stdout).data.checks as { check: string; status: string }[];
      expect(checks.filter((c) => c.status === 'fail'), doctor.stderr).toEqual([]);
      expect(doctor.code).toBe(0);
    } finally {
      await release();
    }

    const generate = await regctl([...args, '--generate-certs']);
    expect(generate.code, generate.stderr).toBe(0);
    const again = await regctl([...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const files = jsonResult(again.stdout).data.files as { path: string; change: string }[];
    expect(files.length).toBeGreaterThan(15);
    expect(files.filter((f) => f.change !== 'unchanged')).toEqual([]);
    expect(jsonResult(again.stdout).data.wrote).toBe(false);
  });
});
