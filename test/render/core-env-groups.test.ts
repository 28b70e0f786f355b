import { describe, it, expect } from 'vitest';
import { pyJson, distributionLogLevel } from '../../src/render/components/core/env-groups.js';

describe('pyJson (Python json.dumps spelling)', () => {
  it('uses ", " and ": " separators and keeps key order', () => {
    expect(pyJson({ application: 'harbor', n: 1, ok: true, list: [1, 'a'], nested: { x: null } })).toBe(
      '{"application": "harbor", "n": 1, "ok": true, "list": [1, "a"], "nested": {"x": null}}',
    );
    expect(pyJson({})).toBe('{}');
  });

  it('escapes non-ASCII like ensure_ascii (astral characters as surrogate pairs)', () => {
    expect(pyJson({ 'é': 'ü😀' })).toBe('{"\\u00e9": "\\u00fc\\ud83d\\ude00"}');
    expect(pyJson('quote " and \\ and \n')).toBe('"quote \\" and \\\\ and \\n"');
  });

  it('round-trips through JSON.parse', () => {
    const v = { a: 'x y', b: [1, 2.5, -3], c: { 'ü': false } };
    expect(JSON.parse(pyJson(v))).toEqual(v);
  });
});

describe('distributionLogLevel', () => {
  it('maps warning to warn and keeps the others', () => {
    expect(['debug', 'info', 'warning', 'error', 'fatal'].map((l) => distributionLogLevel(l as never))).toEqual([
      'debug', 'info', 'warn', 'error', 'fatal',
    ]);
  });
});
