/**
 * Our own templates live in templates/ (never Harbor's). They are static resources of the package,
 * compiled once per process and cached; rendering them is still pure (same data in, same text out).
 * Syntax: Eta (<%= it.x %>, <% if (...) { %>), with auto-escaping off since nothing here is HTML.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Eta } from 'eta';

/** templates/ at the package root, found upwards from this module (src/render/, or a dist/ bundle). */
export const templatesDir = findTemplatesDir(path.dirname(fileURLToPath(import.meta.url)));

function findTemplatesDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return path.join(dir, 'templates');
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..', 'templates');
  }
}

const eta = new Eta({ autoEscape: false, autoTrim: false, useWith: false, varName: 'it' });
const compiled = new Map<string, ReturnType<Eta['compile']>>();

export function renderTemplate(name: string, data: object): string {
  let fn = compiled.get(name);
  if (!fn) {
    fn = eta.compile(readFileSync(path.join(templatesDir, name), 'utf8'));
    compiled.set(name, fn);
  }
  return fn.call(eta, data as Record<string, unknown>);
}
