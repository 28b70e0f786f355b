/** The harbor.yml template: every line's text passes the loader's validation, carries only keys that line reads, and keeps odd strings intact. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkConfigText } from '../../src/config/load.js';
import { KEY_LIFETIMES, keyOutsideLine } from '../../src/config/key-lifetimes.js';
import { initialModel } from '../../src/init/questions.js';
import { renderHarborYml, yamlString } from '../../src/init/template.js';
import { releases } from '../../src/releases/index.js';
import { scriptedPrompter, testEnv } from './helpers.js';

function keyPaths(v: unknown, prefix = ''): string[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  return Object.entries(v).flatMap(([k, c]) => [prefix + k, ...keyPaths(c, `${prefix}${k}.`)]);
}

describe('the init template', () => {
  it.each(releases.map((r) => [r.version, r] as const))('%s: no validation error, only keys the line reads, its _version', (_v, release) => {
    const m = initialModel(testEnv(scriptedPrompter(), { release }));
    m.externalRedis = { host: 'redis.example:6379', password: 'p@ss: "x"' };
    const text = renderHarborYml(m);
    const { problems } = checkConfigText('harbor.yml', text, { withTrivy: true, schemaVersion: release.schemaVersion, generateCerts: true });
    expect(problems.filter((p) => p.severity !== 'note')).toEqual([]);
    const y = parse(text);
    expect(y._version).toBe(release.schemaVersion);
    for (const k of keyPaths(y)) expect(keyOutsideLine(k, release.schemaVersion), k).toBeUndefined();
    expect(y.external_redis.password).toBe('p@ss: "x"');
    expect(text).toMatch(/^# harbor\.yml for Harbor v/);
  });

  it('leaves out every key of KEY_LIFETIMES a line does not read (2.8 schema)', () => {
    const m = initialModel(testEnv(scriptedPrompter()));
    const text = renderHarborYml({ ...m, release: { ...m.release, schemaVersion: '2.8.0' } });
    const keys = keyPaths(parse(text));
    for (const l of KEY_LIFETIMES) if (keyOutsideLine(l.key, '2.8.0')) expect(keys).not.toContain(l.key);
    expect(keys).not.toContain('trivy.timeout'); // not in v2.8.6's template
  });

  it('quotes strings YAML would read as something else', () => {
    for (const s of ['true', 'no', '123', '1e3', '0x1f', 'a: b', '#x', ' lead', 'x"y', "it's", '/data', 'Ab3xyzABCdef12']) {
      expect(parse(`v: ${yamlString(s)}`).v, s).toBe(s);
    }
    expect(yamlString('/etc/harbor/certs/harbor.crt')).toBe('/etc/harbor/certs/harbor.crt');
  });
});
