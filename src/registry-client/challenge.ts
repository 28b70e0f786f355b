/**
 * WWW-Authenticate as the distribution spec uses it (RFC 7235): `Basic realm="..."` or
 * `Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"`. Several
 * challenges may share one header line or come in several.
 */
export interface Challenge {
  /** lower-case: 'basic', 'bearer', ... */
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenges(values: string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    const s = value;
    const skip = (re: RegExp) => {
      while (i < s.length && re.test(s[i]!)) i++;
    };
    const token = () => {
      const start = i;
      while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i]!)) i++;
      return s.slice(start, i);
    };
    let current: Challenge | undefined;
    while (i < s.length) {
      skip(/[\s,]/);
      const start = i;
      const name = token();
      if (!name) {
        i++;
        continue;
      }
      skip(/\s/);
      if (s[i] === '=' && current) {
        i++;
        skip(/\s/);
        let v = '';
        if (s[i] === '"') {
          i++;
          while (i < s.length && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < s.length) i++;
            v += s[i];
            i++;
          }
          i++;
        } else v = token();
        current.params[name.toLowerCase()] = v;
      } else if (s[i] === '=' && !current) {
        i = start + name.length + 1;
      } else {
        current = { scheme: name.toLowerCase(), params: {} };
        out.push(current);
      }
    }
  }
  return out;
}
