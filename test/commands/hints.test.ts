/**
 * Every regctl command line that regctl's own strings name (fixes, next steps, help examples)
 * names a command and flags that exist, checked against the real commander program. Prose such
 * as "regctl keeps the secretkey" is not a command line; a mention counts as one when its first
 * word is a command, or when it is written as one (in backticks, or after a `$ ` prompt).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { memoryOutput } from '../../src/output.js';
import { repoRoot } from '../helpers/workspace.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Mention {
  where: string;
  text: string;
  /** in backticks or after `$ `: meant as a command line even if the word is unknown */
  quoted: boolean;
}

/** Command-line mentions in code lines (comments are skipped: they explain, they do not advise). */
export function commandMentions(file: string, text: string): Mention[] {
  const mentions: Mention[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
    for (const m of line.matchAll(/(`|'|"|\brun |\$ |^\s*)?regctl ((?:[a-z][\w-]*|--?[a-z][\w-]*(?:[ =][^\s`'"<>;,)|]+)?|[A-Z][A-Z_.]+|\S+\/\S*|<[^>]+>|\[[^\]]+\]|\$\{[^}]+\})(?: (?:[a-z][\w-]*|--?[a-z][\w-]*(?:[ =][^\s`'"<>;,)|]+)?|[A-Z][A-Z_.]+|\S+\/\S*|\d+|<[^>]+>|\[[^\]]+\]|\$\{[^}]+\}|\.\.\.))*)/g)) {
      mentions.push({ where: `${path.relative(repoRoot, file)}:${i + 1}`, text: m[2]!, quoted: m[1] === "`" || m[1] === "$ "});
    }
  });
  return mentions;
}

/** undefined if the command line exists; else what is wrong with it. */
function checkMention(program: Command, mention: Mention): string | undefined {
  const words = mention.text.split(/\s+/);
  let at = program;
  let i = 0;
  for (; i < words.length; i++) {
    const next = at.commands.find((c) => c.name() === words[i] || c.aliases().includes(words[i]!));
    if (!next) break;
    at = next;
  }
  if (at === program) {
    // not a command word: prose ("regctl keeps ..."), unless it was written as a command line
    return mention.quoted && /^[a-z][\w-]*$/.test(words[0]!) ? `'regctl ${words[0]}' is not a regctl command` : undefined;
  }
  const known = new Set<string>(['--help', '-h']);
  for (let c: Command | null = at; c; c = c.parent) for (const o of c.options) for (const f of [o.long, o.short]) if (f) known.add(f);
  for (const w of words.slice(i)) {
    const flag = /^(--?[a-z][\w-]*)/.exec(w)?.[1];
    if (flag && !known.has(flag)) return `'regctl ${words.slice(0, i).join(' ')}' has no flag ${flag}`;
  }
  return undefined;
}

async function fullProgram(): Promise<Command> {
  const out = memoryOutput();
  // argv ['node', 'regctl'] loads every command module, as the full --help does
  return buildProgram({ out, cwd: repoRoot, env: {}, isTTY: false, write: () => {}, writeErr: () => {}, columns: () => 100 }, () => {}, ['node', 'regctl']);
}

describe('hints that name a regctl command name one that exists', () => {
  it('every command line in src/ and in every --help text parses against the program', async () => {
    const program = await fullProgram();
    const mentions = sourceFiles(path.join(repoRoot, 'src')).flatMap((f) => commandMentions(f, readFileSync(f, 'utf8')));
    const helps: Command[] = [];
    const walk = (c: Command): void => {
      helps.push(c);
      c.commands.forEach(walk);
    };
    walk(program);
    for (const c of helps) mentions.push(...commandMentions(`help of ${c.name()}`, c.helpInformation() + ((c as unknown as { _helpText?: string })._helpText ?? '')));
    expect(mentions.length).toBeGreaterThan(50);
    const wrong = mentions.map((m) => [m.where, m.text, checkMention(program, m)] as const).filter(([, , e]) => e);
    expect(wrong.map(([where, text, e]) => `${where}: regctl ${text}: ${e}`)).toEqual([]);
  });

  it('the checker itself catches a missing command and a missing flag', async () => {
    const program = await fullProgram();
    const bad = commandMentions('x.ts', "fix: 'run `regctl rollback --config F`, then `regctl prepare --legacy-version 1.1`'");
    expect(bad.map((m) => checkMention(program, m))).toEqual(["'regctl rollback' is not a regctl command", "'regctl prepare' has no flag --legacy-version"]);
    const good = commandMentions('x.ts', "fix: 'run `regctl cert trust --ca regctl-ca/ca.crt --registry reg:443`'");
    expect(good.map((m) => checkMention(program, m))).toEqual([undefined]);
  });
});
