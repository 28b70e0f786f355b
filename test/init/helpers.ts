/** An in-memory Prompter for the wizard's tests: answers by question id, validated like a terminal would. */
import type { Prompter, Validator } from '../../src/init/prompter.js';
import type { HostDetection } from '../../src/init/detect.js';
import type { WizardEnv } from '../../src/init/questions.js';
import { generatePassword } from '../../src/init/questions.js';
import { defaultRelease } from '../../src/releases/index.js';
import { lintCertificate } from '../../src/cert/lint.js';
import { tempDirSync } from '../helpers/tmp.js';

export type Answer = string | boolean;

export interface ScriptedPrompter extends Prompter {
  /** ids in the order they were asked */
  asked: string[];
  /** answers a validator refused, with its message */
  rejected: { id: string; value: string; message: string }[];
  said: string[];
}

/**
 * Each id takes its scripted answers in order (a refused one is followed by the next); an id
 * with no answer left takes the default, like pressing Enter.
 */
export function scriptedPrompter(script: Record<string, Answer[]> = {}): ScriptedPrompter {
  const queue = new Map(Object.entries(script).map(([k, v]) => [k, [...v]]));
  const asked: string[] = [];
  const rejected: ScriptedPrompter['rejected'] = [];
  const said: string[] = [];
  const next = (id: string): Answer | undefined => queue.get(id)?.shift();
  const text = async (id: string, def: string | undefined, validate?: Validator<string>): Promise<string> => {
    asked.push(id);
    for (let tries = 0; tries < 20; tries++) {
      const a = next(id);
      if (a === undefined && def === undefined) throw new Error(`no scripted answer for ${id} and no default (refused so far: ${JSON.stringify(rejected)})`);
      const value = a === undefined ? def! : String(a);
      const verdict = validate ? await validate(value) : true;
      if (verdict === true) return value;
      rejected.push({ id, value, message: verdict });
      if (a === undefined) throw new Error(`the default of ${id} (${value}) is refused: ${verdict}`);
    }
    throw new Error(`${id} asked 20 times`);
  };
  return {
    interactive: true,
    asked,
    rejected,
    said,
    input: (q) => text(q.id, q.default, q.validate),
    password: (q) => text(q.id, undefined, q.validate),
    confirm: async (q) => {
      asked.push(q.id);
      const a = next(q.id);
      return a === undefined ? q.default : Boolean(a);
    },
    select: async <T>(q: { id: string; choices: { value: T }[]; default?: T }) => {
      asked.push(q.id);
      const a = next(q.id);
      if (a === undefined) return q.default ?? q.choices[0]!.value;
      const c = q.choices.find((c) => c.value === a);
      if (!c) throw new Error(`${q.id}: '${String(a)}' is not a choice`);
      return c.value;
    },
    say: (l) => void said.push(l),
  };
}

export const testDetection: HostDetection = {
  fqdn: 'reg.test.example',
  shortName: 'reg',
  addresses: [
    { address: '192.0.2.10', iface: 'eth0', kind: 'usable' },
    { address: '2001:db8::10', iface: 'eth0', kind: 'usable' },
    { address: '127.0.0.1', iface: 'lo', kind: 'loopback' },
    { address: '172.17.0.1', iface: 'docker0', kind: 'docker-bridge' },
    { address: 'fe80::1', iface: 'eth0', kind: 'link-local' },
  ],
};

export function tempDir(prefix = 'regctl-init'): string {
  return tempDirSync(prefix);
}

export function testEnv(prompter: Prompter, over: Partial<WizardEnv> = {}): WizardEnv {
  return {
    prompter,
    detection: testDetection,
    release: defaultRelease,
    defaults: {},
    cwd: '/',
    root: tempDir(),
    checkPort: async () => ({ free: true, detail: 'free', fix: '' }),
    lintCertificate,
    testConnection: async () => undefined,
    freeSpace: async () => '10 GiB free at /',
    generatePassword,
    findings: [],
    ...over,
  };
}
