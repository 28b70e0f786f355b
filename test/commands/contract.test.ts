/**
 * The CLI contract, checked over every command of the real commander program: README's synopses
 * name exactly the flags each command has, the exit-code table in README and `regctl --help` is
 * EXIT_CODES, every command that prints a result takes --json, every command that touches host
 * paths takes --root and refuses a missing one with exit 2, and a usage error under --json is a
 * JSON envelope. Runs in-process (runCli with memory streams): no child process per case.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../src/cli.js';
import { EXIT_CODES } from '../../src/commands/result.js';
import { repoRoot } from '../helpers/workspace.js';
import { jsonResult } from '../helpers/cli.js';
import { tempDirSync } from '../helpers/tmp.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

async function program(): Promise<Command> {
  return buildProgram({ write: () => {}, writeErr: () => {} } as never, () => {}, ['node', 'regctl']);
}

function leafCommands(root: Command): { words: string; cmd: Command }[] {
  const out: { words: string; cmd: Command }[] = [];
  const walk = (c: Command, prefix: string[]) => {
    for (const sub of c.commands) {
      const words = [...prefix, sub.name()];
      if (sub.commands.length) walk(sub, words);
      else out.push({ words: words.join(' '), cmd: sub });
    }
  };
  walk(root, []);
  return out;
}

const flagsOf = (cmd: Command) => new Set(cmd.options.map((o) => o.long!).filter((f) => f !== '--help'));

/** README's synopsis lines (`regctl WORDS [flags]` inside ```sh blocks), continuation lines joined. */
function readmeSynopses(): Map<string, Set<string>> {
  const synopses = new Map<string, Set<string>>();
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let current: Set<string> | undefined;
    for (const line of block[1]!.split('\n')) {
      const m = /^regctl ((?:[a-z][\w-]* ?)+)(.*)$/.exec(line);
      if (m) {
        const words = m[1]!.trim();
        current = synopses.get(words) ?? new Set();
        synopses.set(words, current);
        for (const f of m[2]!.matchAll(/--[a-z][\w-]*/g)) current.add(f[0]);
      } else if (/^\s+\[/.test(line) && current) {
        for (const f of line.matchAll(/--[a-z][\w-]*/g)) current.add(f[0]);
      } else current = undefined;
    }
  }
  return synopses;
}

async function runInProcess(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'regctl', ...argv], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    env: { PATH: process.env['PATH'], HOME: cwd },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

const tmp = tempDirSync('regctl-contract');

describe('the CLI contract', () => {
  it('README has a synopsis for every command, naming exactly its flags', async () => {
    const synopses = readmeSynopses();
    const problems: string[] = [];
    for (const { words, cmd } of leafCommands(await program())) {
      const documented = synopses.get(words);
      if (!documented) {
        problems.push(`README has no synopsis for regctl ${words}`);
        continue;
      }
      for (const f of flagsOf(cmd)) if (!documented.has(f)) problems.push(`README's regctl ${words} lacks ${f}`);
      for (const f of documented) if (!flagsOf(cmd).has(f)) problems.push(`README's regctl ${words} names ${f}, which it does not have`);
    }
    expect(problems).toEqual([]);
  });

  it('the checker itself sees a missing and an unknown flag', () => {
    const fake = new Map([['down', new Set(['--config', '--bogus'])]]);
    const cmd = { options: [{ long: '--config' }, { long: '--yes' }] } as unknown as Command;
    const missing = [...flagsOf(cmd)].filter((f) => !fake.get('down')!.has(f));
    const unknown = [...fake.get('down')!].filter((f) => !flagsOf(cmd).has(f));
    expect([missing, unknown]).toEqual([['--yes'], ['--bogus']]);
  });

  it('README and regctl --help carry the exit-code table of EXIT_CODES', async () => {
    for (const e of EXIT_CODES) expect(readme).toContain(`| ${e.code} | ${e.meaning} |`);
    expect([...readme.matchAll(/^\| (\d) \| /gm)].map((m) => Number(m[1]))).toEqual(EXIT_CODES.map((e) => e.code));
    const help = await runInProcess(['--help'], tmp);
    expect(help.code).toBe(0);
    for (const e of EXIT_CODES) expect(help.stdout).toContain(`${e.code}  ${e.meaning}`);
  });

  it('every command that prints a result takes --json; logs streams raw lines instead', async () => {
    const without = leafCommands(await program())
      .filter(({ cmd }) => !flagsOf(cmd).has('--json'))
      .map((c) => c.words);
    expect(without).toEqual(['logs']);
  });

  const rootCommands = ['init', 'prepare', 'migrate', 'doctor', 'install', 'down', 'status', 'logs', 'cert trust', 'cert untrust', 'registry catalog', 'registry tags', 'verify', 'export helm', 'upgrade', 'backup', 'restore'];

  it('the commands that touch host paths are exactly those that take --root', async () => {
    const withRoot = leafCommands(await program())
      .filter(({ cmd }) => flagsOf(cmd).has('--root'))
      .map((c) => c.words);
    expect(withRoot.sort()).toEqual([...rootCommands].sort());
  });

  it.each(rootCommands)('regctl %s refuses a missing --root with exit 2, writing nothing', async (words) => {
    const missing = path.join(tmp, 'no-such-root');
    const extra = words.startsWith('cert') ? ['--registry', 'reg.example.com', '--ca', path.join(tmp, 'ca.crt')] : words === 'registry catalog' ? ['127.0.0.1:1'] : words === 'registry tags' ? ['127.0.0.1:1/seed'] : words === 'verify' ? ['--registry', '127.0.0.1:1'] : words === 'upgrade' ? ['--to', '2.15.2', '--plan'] : words === 'restore' ? ['--from', path.join(tmp, 'no-backup')] : [];
    const r = await runInProcess([...words.split(' '), ...(words === 'cert untrust' ? ['--registry', 'reg.example.com'] : extra), '--root', missing, ...(words === 'logs' ? [] : ['--json'])], tmp);
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toContain('E_ROOT_NOT_DIR');
    if (words !== 'logs') expect(jsonResult(r.stdout).error?.code).toBe('E_ROOT_NOT_DIR');
    expect(existsSync(missing)).toBe(false);
  });

  it.each(['prepare', 'doctor', 'cert ca', 'cert check', 'status', 'down', 'install', 'registry catalog'])(
    'regctl %s: a usage error under --json is one JSON envelope on stdout, exit 2',
    async (words) => {
      const r = await runInProcess([...words.split(' '), '--no-such-flag', '--json'], tmp);
      expect(r.code).toBe(2);
      const env = jsonResult(r.stdout);
      expect(env).toMatchObject({ event: 'result', command: words, ok: false, exitCode: 2, error: { code: 'E_USAGE' } });
      expect(env.error?.message).toContain('--no-such-flag');
    },
  );
});
