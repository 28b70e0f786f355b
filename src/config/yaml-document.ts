/**
 * harbor.yml → ConfigDocument. Keeps the YAML AST so that every later message can point at the
 * line and column where a key was written; syntax errors come back with line and column too.
 */
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { ConfigDocument, ParsedConfig } from './document.js';
import { problem, type Problem, type SourceLocation } from '../errors.js';
import { bundledExample } from '../util/package-files.js';

export function parseHarborYml(file: string, text: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const problems: Problem[] = [];
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  for (const err of doc.errors) {
    problems.push(
      problem('error', 'E_YAML_SYNTAX', `YAML syntax error: ${firstLine(err.message)}`, {
        ...at(err.pos?.[0]),
        fix: yamlHint(err.code),
      }),
    );
  }
  for (const w of doc.warnings) {
    problems.push(problem('warning', 'W_YAML', firstLine(w.message), at(w.pos?.[0])));
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };

  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || data === undefined) {
    problems.push(
      problem('error', 'E_CONFIG_EMPTY', 'the configuration file is empty', {
        file,
        fix: `start from the bundled example ${bundledExample('harbor.yml')}`,
      }),
    );
    return { problems };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push(
      problem('error', 'E_CONFIG_SHAPE', 'the top level of harbor.yml must be a mapping of keys (key: value)', {
        file,
        line: 1,
        fix: 'check that the file is a harbor.yml and not a harbor.cfg or a list',
      }),
    );
    return { problems };
  }

  const locate = (keyPath: string): SourceLocation => {
    const segments = keyPath.split('.');
    let node: unknown = doc.contents;
    let best: SourceLocation = { file, key: keyPath };
    for (const seg of segments) {
      if (!isMap(node)) break;
      const pair = (node.items as Pair[]).find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      const keyNode = pair.key as Node;
      best = { ...at(keyNode.range?.[0]), key: keyPath };
      node = pair.value;
    }
    return best;
  };

  const configDoc: ConfigDocument = { file, format: 'yml', data: data as Record<string, unknown>, locate };
  return { doc: configDoc, problems };
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
