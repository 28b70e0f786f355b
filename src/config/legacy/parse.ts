/**
 * Reader for the legacy harbor.cfg dialect (Harbor 1.1–1.7).
 *
 * Legacy `prepare` put a fake `[configuration]` header in front of the file and read it with
 * Python 2.7's `ConfigParser.RawConfigParser`, so that parser's rules are the format's rules
 * (goharbor/harbor make/prepare at v1.1.0–v1.7.6, the `[configuration]` wrapper before
 * `ConfigParser.RawConfigParser().readfp`). We follow them line by line,
 * keep line numbers for every entry, and turn each rule that surprises people (an inline `#` that
 * is not a comment, indented lines glued onto the previous value, sections that hide keys) into a
 * warning that says what happened and how to fix it.
 *
 * The `ini` package is not used: it strips `;` comments without the whitespace rule, treats `#` as
 * an inline comment, knows no `:` delimiter, no continuation lines, and keeps no line numbers.
 */
import { problem, type Problem } from '../../errors.js';
import { isSecretLegacyKey } from './keys.js';

export interface CfgEntry {
  /** key as the legacy parser saw it: trimmed and lower-cased */
  key: string;
  /** key as written (trimmed) */
  rawKey: string;
  /** value after the legacy rules (trimmed, `""` → '', ` ;comment` removed, continuations joined with \n) */
  value: string;
  /** 1-based line of `key = value` */
  line: number;
  /** 1-based column where the value starts on that line (after the delimiter and spaces) */
  column: number;
  /** lines appended to this value because they started with whitespace */
  continuationLines: number[];
  /** `[section]` the entry sits in; null for the top of the file (legacy's fake `[configuration]`) */
  section: string | null;
}

export interface CfgParseResult {
  /** the keys legacy prepare could see, last duplicate winning, in order of first appearance */
  entries: Map<string, CfgEntry>;
  /** every `key = value` line in file order, including duplicates and keys hidden by a section */
  all: CfgEntry[];
  problems: Problem[];
}

export interface CfgParseOptions {
  /** reject `[section]` lines instead of warning (keys after them were invisible to legacy prepare) */
  strictSections?: boolean;
}

/** Sections whose keys legacy prepare still saw: its own fake one, and ConfigParser's defaults. */
const VISIBLE_SECTIONS = new Set(['configuration', 'DEFAULT']);

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/** What the reader carries from line to line. */
interface CfgReader {
  file: string;
  options: CfgParseOptions;
  problems: Problem[];
  all: CfgEntry[];
  section: string | null;
  /** the entry an indented line continues */
  current: CfgEntry | null;
}

export function parseCfgText(file: string, text: string, options: CfgParseOptions = {}): CfgParseResult {
  const r: CfgReader = { file, options, problems: [], all: [], section: null, current: null };
  // A UTF-8 BOM would have become part of the first key in Python; nobody means that.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => readLine(r, raw, i + 1));
  const entries = collectVisible(file, r.all, r.problems);
  return { entries, all: r.all, problems: r.problems };
}

/** One physical line, by ConfigParser's rules in its order: blank, comment, rem, continuation, section, key = value. */
function readLine(r: CfgReader, raw: string, line: number): void {
  if (raw.trim() === '') return; // blank lines do not end a value (continuations may follow)
  const first = raw[0] as string;
  if (first === '#' || first === ';') return;
  if ((first === 'r' || first === 'R') && (raw.split(/\s+/, 1)[0] as string).toLowerCase() === 'rem') {
    r.problems.push(
      problem('warning', 'W_CFG_REM_LINE', `line ${line} starts with the word "rem", which legacy Harbor read as a comment; regctl skips it too`, {
        file: r.file,
        line,
        column: 1,
        fix: 'Start the line with # to make it an ordinary comment.',
      }),
    );
    return;
  }
  if (isSpace(first)) return readContinuation(r, raw, line);
  const header = /^\[([^\]]+)\]/.exec(raw);
  if (header) return readSection(r, header[1] as string, line);
  readKeyValue(r, raw, line);
}

function readContinuation(r: CfgReader, raw: string, line: number): void {
  const current = r.current;
  if (!current) {
    r.problems.push(
      problem('error', 'E_CFG_SYNTAX', `line ${line} starts with whitespace but no key comes before it to continue`, {
        file: r.file,
        line,
        column: 1,
        fix: 'Remove the leading whitespace, or start the line with # to make it a comment.',
      }),
    );
    return;
  }
  current.value += `\n${raw.trim()}`;
  current.continuationLines.push(line);
  r.problems.push(
    problem(
      'warning',
      'W_CFG_CONTINUATION',
      `line ${line} starts with whitespace, so legacy Harbor appended it to the value of ${current.key} (line ${current.line}): that value now spans several lines, which Harbor wrote into its env files as a broken entry`,
      {
        file: r.file,
        line,
        column: 1,
        key: current.key,
        fix: `Remove the leading whitespace if line ${line} is a setting of its own, or join it onto line ${current.line} if it belongs to ${current.key}.`,
      },
    ),
  );
}

function readSection(r: CfgReader, section: string, line: number): void {
  r.section = section;
  r.current = null;
  const visible = VISIBLE_SECTIONS.has(section);
  const strict = r.options.strictSections === true && !visible;
  r.problems.push(
    problem(
      strict ? 'error' : 'warning',
      'W_CFG_SECTION',
      visible
        ? `line ${line} is a section header [${section}]; harbor.cfg has no sections (legacy Harbor put the whole file in one), and the keys below it still apply`
        : `line ${line} is a section header [${section}]; legacy Harbor read only the keys above it, so regctl ignores the keys below it as well`,
      {
        file: r.file,
        line,
        column: 1,
        fix: `Delete line ${line}; harbor.cfg is one flat list of key = value lines.`,
      },
    ),
  );
}

function readKeyValue(r: CfgReader, raw: string, line: number): void {
  const delim = raw.search(/[:=]/);
  if (delim <= 0) {
    r.problems.push(
      problem('error', 'E_CFG_SYNTAX', `line ${line} is not a "key = value" line: it has ${delim === 0 ? 'no key before the delimiter' : "no '=' or ':'"} (legacy Harbor failed on it too)`, {
        file: r.file,
        line,
        column: 1,
        fix: 'Write it as key = value, or start it with # to make it a comment.',
      }),
    );
    return;
  }
  const rawKey = raw.slice(0, delim).trimEnd();
  const afterDelim = raw.slice(delim + 1);
  const lead = afterDelim.length - afterDelim.trimStart().length;
  const column = delim + 2 + lead;
  const key = rawKey.toLowerCase();
  let value = stripInlineComment(r, key, afterDelim.slice(lead), line, column).trim();
  if (value === '""') value = '';
  warnAboutValue(r, key, value, line, column);
  const entry: CfgEntry = { key, rawKey, value, line, column, continuationLines: [], section: r.section };
  r.all.push(entry);
  r.current = entry;
}

/**
 * Inline comment: only the first ';' counts, and only when whitespace precedes it. Python also
 * looked at value[-1] when ';' is the first character (a negative index); we keep such a value
 * whole, which is what its author meant.
 */
function stripInlineComment(r: CfgReader, key: string, value: string, line: number, column: number): string {
  const semi = value.indexOf(';');
  if (!(semi > 0 && isSpace(value[semi - 1]))) return value;
  r.problems.push(
    problem('warning', 'W_CFG_INLINE_COMMENT', `the value of ${key} ends at " ;" on line ${line}: legacy Harbor dropped the rest of the line as a comment, and so does regctl`, {
      file: r.file,
      line,
      column: column + semi,
      key,
      fix: `If ";" is part of the value, remove the whitespace before it; otherwise move the comment to its own line starting with #.`,
    }),
  );
  return value.slice(0, semi);
}

/** A "#" or quotes that legacy Harbor kept as part of the value (a secret's value is not repeated in the message). */
function warnAboutValue(r: CfgReader, key: string, value: string, line: number, column: number): void {
  if (/\s#/.test(value) || value.startsWith('#')) {
    const at = value.startsWith('#') ? 0 : value.search(/\s#/) + 1;
    r.problems.push(
      problem(
        'warning',
        'W_CFG_INLINE_HASH',
        isSecretLegacyKey(key)
          ? `the value of ${key} on line ${line} contains "#": harbor.cfg has no inline # comments, so the "#" and what follows are part of the value`
          : `the value of ${key} on line ${line} is ${JSON.stringify(value)}: harbor.cfg has no inline # comments, so the "#" and what follows are part of the value`,
        {
          file: r.file,
          line,
          column: column + at,
          key,
          fix: 'If it was meant as a comment, move it to its own line starting with #.',
        },
      ),
    );
  }
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    r.problems.push(
      problem('warning', 'W_CFG_QUOTED', `the value of ${key} on line ${line} is wrapped in quotes; harbor.cfg does not remove quotes, so they are part of the value`, {
        file: r.file,
        line,
        column,
        key,
        fix: 'Remove the quotes unless they really belong to the value.',
      }),
    );
  }
}

/** What legacy prepare could see: keys outside sections (and [configuration]/[DEFAULT]), last one wins. */
function collectVisible(file: string, all: CfgEntry[], problems: Problem[]): Map<string, CfgEntry> {
  const main = new Map<string, CfgEntry>();
  const defaults = new Map<string, CfgEntry>();
  const hidden: CfgEntry[] = [];
  for (const entry of all) {
    const target = entry.section === null || entry.section === 'configuration' ? main : entry.section === 'DEFAULT' ? defaults : null;
    if (!target) {
      hidden.push(entry);
      continue;
    }
    const earlier = target.get(entry.key);
    if (earlier) {
      problems.push(
        problem('warning', 'W_CFG_DUPLICATE', `${entry.key} is set again on line ${entry.line} (first on line ${earlier.line}); the last one wins, as in legacy Harbor`, {
          file,
          line: entry.line,
          column: 1,
          key: entry.key,
          fix: `Delete one of the two lines (${earlier.line} or ${entry.line}).`,
        }),
      );
      target.delete(entry.key); // keep map order = order of the winning line
    }
    target.set(entry.key, entry);
  }
  for (const [key, entry] of defaults) if (!main.has(key)) main.set(key, entry);
  for (const entry of hidden) {
    problems.push(
      problem('warning', 'W_CFG_HIDDEN_KEY', `${entry.key} on line ${entry.line} is below the section header [${entry.section}]; legacy Harbor never read it, so regctl ignores it`, {
        file,
        line: entry.line,
        column: 1,
        key: entry.key,
        fix: 'Delete the [section] line above it if the key should apply.',
      }),
    );
  }
  return main;
}
