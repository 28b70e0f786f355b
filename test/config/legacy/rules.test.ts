/**
 * The list of harbor.cfg mapping rules (src/config/legacy/rules/): what each rule says it reads and
 * writes agrees with the key table (keys.ts) and with what it really does, and the runner claims
 * what a rule reads, so a new mapping is one more entry in the list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEGACY_KEYS } from '../../../src/config/legacy/keys.js';
import { mapLegacyEntries } from '../../../src/config/legacy/map.js';
import { parseCfgText } from '../../../src/config/legacy/parse.js';
import { LEGACY_RULES, type LegacyContext, type LegacyRule } from '../../../src/config/legacy/rules/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, 'fixtures');
const known = new Set(LEGACY_KEYS.map((k) => k.key));
const named = (rule: LegacyRule) => [...rule.reads, ...(rule.consults ?? [])];

/** Whether a harbor.yml path written by a rule covers a target of the key table. */
function covers(write: string, target: string): boolean {
  const w = write.replace(/\.\*$/, '');
  return w === target || w.startsWith(`${target}.`) || (write.endsWith('.*') && target.startsWith(`${w}.`));
}

describe('the rule list', () => {
  it('names only keys a harbor.cfg can hold', () => {
    for (const rule of LEGACY_RULES) for (const key of named(rule)) expect(known, `${rule.name}: ${key}`).toContain(key);
  });

  it('maps every key the key table sends to harbor.yml, onto the targets the table names', () => {
    for (const entry of LEGACY_KEYS) {
      if (entry.fate.kind !== 'harbor.yml') continue;
      const rules = LEGACY_RULES.filter((r) => named(r).includes(entry.key));
      expect(rules.length, entry.key).toBeGreaterThan(0);
      const writes = rules.flatMap((r) => r.writes);
      for (const target of entry.fate.targets) expect(writes.some((w) => covers(w, target)), `${entry.key} → ${target}`).toBe(true);
    }
  });

  it('says what becomes of the value for each rule that writes nothing', () => {
    for (const rule of LEGACY_RULES.filter((r) => r.writes.length === 0)) expect(rule.note, rule.name).toBeTruthy();
  });
});

/** Every rule run over a context that records which keys it looks up. */
function recordingRules(seen: Map<string, Set<string>>): LegacyRule[] {
  return LEGACY_RULES.map((rule) => ({
    ...rule,
    apply(ctx: LegacyContext) {
      const keys = seen.get(rule.name) ?? new Set<string>();
      seen.set(rule.name, keys);
      rule.apply({ ...ctx, entry: (key) => (keys.add(key), ctx.entry(key)) });
    },
  }));
}

const EXTRA_INPUTS = [
  'hostname = h.example.com:8443\nui_url_protocol = https\nssl_cert = /c.pem\nssl_cert_key = /k.pem\n',
  '_version = 1.7.0\nhostname = h\ndb_host = pg.example.com\ndb_port = 5433\ndb_user = harbor\ndb_password = pw\nredis_host = r.example.com\nredis_password = x\nredis_db_index = 3,4,5\n',
  '_version = 1.5.0\nhostname = h\ndb_host = mysql\ndb_user = admin\nredis_url = r.example.com:6380,100,pw,2\nsecretkey_path = /old\nadmiral_url = http://a\n',
  'hostname = h\nregistry_storage_provider_name = s3\nregistry_storage_provider_config = accesskey:AK, bucket: b\nregistry_custom_ca_bundle = /ca.pem\nhttp_proxy = http://p:3128\nno_proxy = 127.0.0.1,corp.example\nauth_mode = uaa_auth\nuaa_ca_cert = /uaa.pem\n',
];

describe('what each rule looks up', () => {
  it('is among the keys it names, over every sample and the less common shapes', () => {
    const seen = new Map<string, Set<string>>();
    const rules = recordingRules(seen);
    const texts = readdirSync(FIXTURES).filter((f) => f.endsWith('.cfg')).map((f) => readFileSync(path.join(FIXTURES, f), 'utf8'));
    for (const text of [...texts, ...EXTRA_INPUTS]) mapLegacyEntries('/h/harbor.cfg', parseCfgText('/h/harbor.cfg', text).entries, {}, rules);
    expect(seen.size).toBe(LEGACY_RULES.length);
    for (const rule of LEGACY_RULES) expect([...(seen.get(rule.name) ?? [])].filter((k) => !named(rule).includes(k)), rule.name).toEqual([]);
  });
});

describe('the runner', () => {
  const text = 'hostname = h.example.com\nui_url_protocol = http\nemail_server = smtp.example.com\n';
  const entries = () => parseCfgText('/h/harbor.cfg', text).entries;
  const unmapped = (rules?: readonly LegacyRule[]) =>
    mapLegacyEntries('/h/harbor.cfg', entries(), {}, rules).problems.find((p) => p.code === 'W_CFG_UNMAPPED')?.message ?? '';

  it('lists a key no rule reads among those harbor.yml cannot hold', () => {
    expect(unmapped()).toContain('email_server (line 3)');
  });

  it('claims what an added rule reads, and keeps what it sets with the line it came from', () => {
    const extra: LegacyRule = {
      name: 'test: e-mail server as a harbor.yml key',
      reads: ['email_server'],
      writes: ['email.server'],
      apply: (ctx) => ctx.set('email.server', ctx.entry('email_server')?.value, ctx.entry('email_server')),
    };
    const result = mapLegacyEntries('/h/harbor.cfg', entries(), {}, [...LEGACY_RULES, extra]);
    expect(result.problems.map((p) => p.code)).not.toContain('W_CFG_UNMAPPED');
    expect(result.data.email).toEqual({ server: 'smtp.example.com' });
    expect(result.origins.get('email.server')?.[0]?.line).toBe(3);
  });
});
