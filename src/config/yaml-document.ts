/**
 * harbor.yml → ConfigDocument. Keeps the YAML AST so that every later message can point at the
 * line and column where a key was written; syntax errors come back with line and column too.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { ConfigDocument, ParsedConfig } from './document.js';
import { problem, type Problem, type SourceLocation } from '../errors.js';
import { bundledExample } from '../util/package-files.js';

export function parseHarborYml(file: string, text: string): ParsedConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys is checked below with one Set per map: the yaml library's own check compares each
  // key with every earlier one, which made 16,000 keys take 12 s
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true });
  const problems: Problem[] = [];
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  problems.push(...syntaxProblems(doc, text, at));
  problems.push(...duplicateKeys(doc.contents, at));
  if (problems.some((p) => p.severity === 'error')) return { problems };

  const data = topLevelMapping(doc, file);
  if ('problems' in data) return { problems: [...problems, ...data.problems] };

  const locate = keyLocator(doc, file, at);
  const configDoc: ConfigDocument = { file, format: 'yml', data: data.data, locate };
  return { doc: configDoc, problems };
}

type Locate = (offset: number | undefined) => SourceLocation;
type YamlDoc = ReturnType<typeof parseDocument>;

function syntaxProblems(doc: YamlDoc, text: string, at: Locate): Problem[] {
  const out: Problem[] = [];
  for (const err of doc.errors) {
    // the parser notices an unclosed quote only at the end of the file: name the line it opens on
    const opened = /^Missing closing ["']quote/.test(err.message) ? unclosedQuoteOffset(text) : undefined;
    out.push(
      problem('error', 'E_YAML_SYNTAX', `YAML syntax error: ${firstLine(err.message)}${opened !== undefined ? ' (opened on this line)' : ''}`, {
        ...at(opened ?? err.pos?.[0]),
        fix: yamlHint(err.code),
      }),
    );
  }
  for (const w of doc.warnings) out.push(problem('warning', 'W_YAML', firstLine(w.message), at(w.pos?.[0])));
  return out;
}

/** The document as plain data, which must be a mapping; aliases are capped (a "billion laughs" document). */
function topLevelMapping(doc: YamlDoc, file: string): { data: Record<string, unknown> } | { problems: Problem[] } {
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    // a "billion laughs" document: aliases of aliases that expand exponentially
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      return {
        problems: [
          problem('error', 'E_YAML_ALIASES', `too many YAML aliases (*name): ${firstLine(err.message)}`, {
            file,
            fix: 'harbor.yml needs no anchors or aliases; write the values out',
          }),
        ],
      };
    }
    throw err;
  }
  if (data === null || data === undefined) {
    return { problems: [problem('error', 'E_CONFIG_EMPTY', 'the configuration file is empty', { file, fix: `start from the bundled example ${bundledExample('harbor.yml')}` })] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      problems: [problem('error', 'E_CONFIG_SHAPE', 'the top level of harbor.yml must be a mapping of keys (key: value)', { file, line: 1, fix: 'check that the file is a harbor.yml and not a harbor.cfg or a list' })],
    };
  }
  return { data: data as Record<string, unknown> };
}

/** keyPath ('https.port') → where its key is written; one key index per map, built on first use, so locating stays linear overall. */
function keyLocator(doc: YamlDoc, file: string, at: Locate): (keyPath: string) => SourceLocation {
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: { items: unknown[] }, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
      indexes.set(map, index);
    }
    return index.get(key);
  };
  return (keyPath: string): SourceLocation => {
    const segments = keyPath.split('.');
    let node: unknown = doc.contents;
    let best: SourceLocation = { file, key: keyPath };
    for (const seg of segments) {
      if (!isMap(node)) break;
      const pair = pairOf(node, seg);
      if (!pair) break;
      const keyNode = pair.key as Node;
      best = { ...at(keyNode.range?.[0]), key: keyPath };
      node = pair.value;
    }
    return best;
  };

}

/** Every key written twice in one mapping, at the second one (one Set per map: linear). */
function duplicateKeys(root: unknown, at: (offset: number | undefined) => SourceLocation): Problem[] {
  const out: Problem[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const p of node.items as Pair[]) {
        if (!isPair(p)) continue;
        if (isScalar(p.key)) {
          const k = String(p.key.value);
          if (seen.has(k)) {
            out.push(problem('error', 'E_YAML_SYNTAX', `YAML syntax error: map keys must be unique; '${k}' is written twice`, { ...at((p.key as Node).range?.[0]), fix: 'keep one of the two lines (the later one is the one you meant?)' }));
          }
          seen.add(k);
        }
        visit(p.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(root);
  return out;
}

/** Offset of the first `key: "value` (or '...') whose quote does not close on its own line. */
function unclosedQuoteOffset(text: string): number | undefined {
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^(\s*(?:- )?[^#\s"'][^:#]*:\s+|\s*- )(["'])(.*)$/.exec(line);
    if (m) {
      const q = m[2]!;
      const rest = m[3]!.replace(q === '"' ? /\\./g : /''/g, '');
      if (!rest.includes(q)) return offset + m[1]!.length;
    }
    offset += line.length + 1;
  }
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'check the indentation: nested keys need two more spaces than their parent, and a key needs a space after its colon';
    case 'DUPLICATE_KEY':
      return 'remove one of the two entries with the same key';
    case 'TAB_AS_INDENT':
      return 'indent with spaces; YAML does not allow tabs for indentation';
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check quotes and brackets on this line; quote values that contain ": " or start with a special character';
    default:
      return `fix the YAML syntax at this position (compare with ${bundledExample('harbor.yml')})`;
  }
}
