/**
 * Every module under src/ loads on its own, whichever is imported first. An import cycle whose
 * module-level code touches a binding not yet initialised (a registry listing a renderer that
 * itself imports the registry) fails only for some entry points; this imports each one fresh.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../helpers/workspace.js';

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? modules(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const all = modules(path.join(repoRoot, 'src'));

describe('module isolation', () => {
  it('finds the source modules', () => expect(all.length).toBeGreaterThan(100));
  it.each(all.map((p) => path.relative(repoRoot, p)))('%s loads first without a cycle error', async (rel) => {
    vi.resetModules();
    await expect(import(path.join(repoRoot, rel))).resolves.toBeTypeOf('object');
  });
});
