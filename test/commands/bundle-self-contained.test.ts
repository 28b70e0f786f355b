/**
 * esbuild bundles every library into dist/, so package.json lists them as devDependencies and
 * `npm install -g .` installs no second copy. This proves the bundle needs nothing from
 * node_modules: the files package.json ships, copied alone, run `prepare` on the bundled example.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/workspace.js';
import { tempDirSync } from '../helpers/tmp.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; files: string[]; dependencies?: object };
const dir = tempDirSync('regctl-bundle');

describe('the shipped files alone', () => {
  it('declare no runtime dependency and run prepare with no node_modules anywhere above them', async () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    const app = path.join(dir, 'app');
    mkdirSync(app);
    for (const f of [...pkg.files, 'package.json']) cpSync(path.join(repoRoot, f), path.join(app, f), { recursive: true });
    for (let d = app; d !== path.dirname(d); d = path.dirname(d)) expect(existsSync(path.join(d, 'node_modules'))).toBe(false);

    const bin = path.join(app, 'bin', 'regctl');
    const version = await execa(process.execPath, [bin, '--version'], { reject: false });
    expect(version.stdout.trim()).toBe(pkg.version);

    const root = path.join(dir, 'root');
    mkdirSync(root);
    const r = await execa(process.execPath, [bin, 'prepare', '--config', path.join(app, 'examples', 'harbor.yml'), '--root', root, '--json'], { reject: false, cwd: dir });
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
    expect(r.exitCode).toBe(0);
    expect(existsSync(path.join(root, app, 'examples', 'docker-compose.yml'))).toBe(true);
  });
});
