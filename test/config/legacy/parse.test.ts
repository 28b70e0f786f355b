import { describe, expect, it } from 'vitest';
import { parseCfgText } from '../../../src/config/legacy/parse.js';

const FILE = '/srv/harbor/harbor.cfg';
const parse = (text: string, strictSections = false) => parseCfgText(FILE, text, { strictSections });
const value = (text: string, key = 'a') => parse(text).entries.get(key)?.value;
const codes = (text: string) => parse(text).problems.map((p) => p.code);

describe('harbor.cfg parser: the Python 2.7 RawConfigParser vectors (spec §1.1, §6)', () => {
  it('ends a value at ";" only when whitespace precedes it', () => {
    expect(value('a = v ;c')).toBe('v');
    expect(value('a = v\t;c')).toBe('v');
    expect(value('a = v;c')).toBe('v;c');
    // only the first ';' counts: it is not preceded by whitespace, so the later ' ;' stays
    expect(value('a = x;y ;z')).toBe('x;y ;z');
    // a value that starts with ';' is kept whole
    expect(value('a = ;secret')).toBe(';secret');
  });

  it('warns when an inline ";" comment was dropped', () => {
    const r = parse('a = v ;c');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'warning', code: 'W_CFG_INLINE_COMMENT', line: 1, column: 7, key: 'a' })]);
  });

  it('keeps "#" inside values and warns about " #"', () => {
    expect(value('a = v # c')).toBe('v # c');
    expect(value('a = v#c')).toBe('v#c');
    expect(codes('a = v#c')).toEqual([]);
    const r = parse('a = v # c');
    expect(r.problems).toEqual([expect.objectContaining({ code: 'W_CFG_INLINE_HASH', line: 1, column: 7, key: 'a' })]);
    expect(r.problems[0]?.message).toContain('"v # c"');
    expect(codes('a = # not a comment')).toEqual(['W_CFG_INLINE_HASH']);
  });

  it('does not echo secret values in the inline "#" warning', () => {
    const r = parse('db_password = s3cr3t #x');
    expect(r.entries.get('db_password')?.value).toBe('s3cr3t #x');
    expect(r.problems[0]?.code).toBe('W_CFG_INLINE_HASH');
    expect(r.problems[0]?.message).not.toContain('s3cr3t');
  });

  it('turns "" into the empty string and keeps other quotes, with a warning', () => {
    expect(value('a = ""')).toBe('');
    expect(codes('a = ""')).toEqual([]);
    expect(value('a = "x"')).toBe('"x"');
    expect(value("a = 'x'")).toBe("'x'");
    expect(value("a = ''")).toBe("''");
    expect(codes('a = "x"')).toEqual(['W_CFG_QUOTED']);
    expect(codes('a = "x')).toEqual([]);
  });

  it('splits at the first "=" or ":" and lower-cases the key', () => {
    const r = parse('A: b');
    expect([...r.entries.keys()]).toEqual(['a']);
    expect(r.entries.get('a')).toMatchObject({ key: 'a', rawKey: 'A', value: 'b', line: 1, column: 4 });
    expect(value('HOSTNAME = x', 'hostname')).toBe('x');
    expect(value('ldap_basedn = ou=people,dc=x', 'ldap_basedn')).toBe('ou=people,dc=x');
    expect(value('url: http://h:1/p', 'url')).toBe('http://h:1/p');
    expect(value('a=b')).toBe('b');
    expect(value('uaa_clientid= id', 'uaa_clientid')).toBe('id');
    expect(value('my key = v', 'my key')).toBe('v');
    expect(value('a\t=\tv\t')).toBe('v');
  });

  it('reads empty values and keeps "%" and "$" literally', () => {
    expect(value('a =')).toBe('');
    expect(value('a =    ')).toBe('');
    expect(value('a = a$b%c "q"')).toBe('a$b%c "q"');
  });

  it('lets the last duplicate win, with a warning on the later line', () => {
    const r = parse('a = 1\nb = 2\na = 3\n');
    expect(r.entries.get('a')).toMatchObject({ value: '3', line: 3 });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'W_CFG_DUPLICATE', line: 3, key: 'a' })]);
    expect(r.problems[0]?.message).toContain('first on line 1');
    expect(r.all).toHaveLength(3);
  });

  it('treats duplicates that differ only in case as the same key', () => {
    const r = parse('Hostname = a\nHOSTNAME = b');
    expect(r.entries.get('hostname')?.value).toBe('b');
    expect(r.problems.map((p) => p.code)).toEqual(['W_CFG_DUPLICATE']);
  });

  it('appends indented lines to the previous value with \\n, across blank lines, and warns loudly', () => {
    const r = parse('a = 1\n  cont\n\n\t# indented comment\nb = 2');
    expect(r.entries.get('a')).toMatchObject({ value: '1\ncont\n# indented comment', continuationLines: [2, 4] });
    expect(r.entries.get('b')?.value).toBe('2');
    expect(r.problems.map((p) => [p.code, p.line, p.severity])).toEqual([
      ['W_CFG_CONTINUATION', 2, 'warning'],
      ['W_CFG_CONTINUATION', 4, 'warning'],
    ]);
    expect(r.problems[0]?.message).toContain('value of a (line 1)');
    expect(r.problems[0]?.fix).toMatch(/leading whitespace/);
  });

  it('glues even an indented "key = value" line onto the previous value (Python 2 did)', () => {
    const r = parse('a = 1\n  b = 2');
    expect(r.entries.get('a')?.value).toBe('1\nb = 2');
    expect(r.entries.has('b')).toBe(false);
  });

  it('rejects an indented line before any key', () => {
    const r = parse('# comment\n  a = 1\n');
    expect(r.problems).toEqual([expect.objectContaining({ severity: 'error', code: 'E_CFG_SYNTAX', line: 2, column: 1 })]);
  });

  it('skips comments only in column 0', () => {
    const r = parse('# a = 1\n; b = 2\nc = 3\n');
    expect([...r.entries.keys()]).toEqual(['c']);
    expect(r.problems).toEqual([]);
  });

  it('skips a column-0 "rem" line with a warning', () => {
    const r = parse('rem x = 1\nREM\nRem some words\nremark = 2\nrem=3\n');
    expect([...r.entries.keys()]).toEqual(['remark', 'rem']);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([
      ['W_CFG_REM_LINE', 1],
      ['W_CFG_REM_LINE', 2],
      ['W_CFG_REM_LINE', 3],
    ]);
  });

  it('reports every line without a delimiter as an error with its line number', () => {
    const r = parse('a = 1\nkeyonly\nb = 2\n= nokey\nanother one\n');
    const errors = r.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.code, p.line, p.file])).toEqual([
      ['E_CFG_SYNTAX', 2, FILE],
      ['E_CFG_SYNTAX', 4, FILE],
      ['E_CFG_SYNTAX', 5, FILE],
    ]);
    expect(errors.every((p) => p.fix && p.fix.length > 0)).toBe(true);
    expect(r.entries.get('b')?.value).toBe('2');
  });

  it('warns about [configuration] and keeps its keys', () => {
    const r = parse('[configuration]\na = 1\n');
    expect(r.entries.get('a')?.value).toBe('1');
    expect(r.problems).toEqual([expect.objectContaining({ code: 'W_CFG_SECTION', line: 1, severity: 'warning' })]);
  });

  it('ignores keys below another [section], as legacy prepare could not see them', () => {
    const r = parse('a = 1\n[other]\nb = 2\n  cont\n[configuration]\nc = 3\n');
    expect([...r.entries.keys()]).toEqual(['a', 'c']);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([
      ['W_CFG_SECTION', 2],
      ['W_CFG_CONTINUATION', 4],
      ['W_CFG_SECTION', 5],
      ['W_CFG_HIDDEN_KEY', 3],
    ]);
  });

  it('rejects such a section in strict mode', () => {
    const r = parse('a = 1\n[other]\nb = 2\n', true);
    expect(r.problems.find((p) => p.code === 'W_CFG_SECTION')?.severity).toBe('error');
    expect(parse('[configuration]\na = 1\n', true).problems[0]?.severity).toBe('warning');
  });

  it('lets [DEFAULT] keys through, below the keys of the main section', () => {
    const r = parse('a = 1\n[DEFAULT]\na = 2\nb = 3\n');
    expect(r.entries.get('a')?.value).toBe('1');
    expect(r.entries.get('b')?.value).toBe('3');
  });

  it('strips a UTF-8 BOM and accepts CRLF and CR line ends', () => {
    const r = parse('\uFEFFhostname = h\r\nmax_job_workers = 3 \r\n\r\n# c\r\nx = y\rz = w');
    expect([...r.entries.keys()]).toEqual(['hostname', 'max_job_workers', 'x', 'z']);
    expect(r.entries.get('max_job_workers')).toMatchObject({ value: '3', line: 2 });
    expect(r.entries.get('x')?.line).toBe(5);
    expect(r.entries.get('z')?.line).toBe(6);
    expect(r.problems).toEqual([]);
  });

  it('records the column where the value starts', () => {
    expect(parse('ssl_cert =  certs/registry.crt').entries.get('ssl_cert')?.column).toBe(13);
  });
});
