/**
 * An independent client for the end-to-end proof: curl, connecting to 127.0.0.1 but resolving the
 * public name there (--resolve), verifying TLS with the test CA (--cacert). Credentials go in a
 * curl config on stdin, never on the command line.
 */
import { execa } from 'execa';

export interface CurlAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function curl(
  url: string,
  opts: { resolve: string; cacert: string; user?: string; method?: string; dataFile?: string; extra?: string[] },
): Promise<CurlAnswer> {
  const args = ['-sS', '-i', '--max-time', '20', '--cacert', opts.cacert, '--resolve', opts.resolve, '-K', '-'];
  if (opts.method) args.push('-X', opts.method);
  if (opts.dataFile) {
    args.push('--data-binary', `@${opts.dataFile}`);
    if (!(opts.extra ?? []).some((a) => /^content-type:/i.test(a))) args.push('-H', 'Content-Type: application/octet-stream');
  }
  args.push(...(opts.extra ?? []), url);
  const config = opts.user ? `user = "${opts.user.replace(/"/g, '\\"')}"\n` : '';
  const r = await execa('curl', args, { input: config, reject: false });
  if (r.exitCode !== 0) throw new Error(`curl ${url} failed (${r.exitCode}): ${r.stderr}`);
  // the last header block (there may be a 100 Continue before it)
  const raw = String(r.stdout);
  const blocks = raw.split(/\r\n\r\n/);
  let i = 0;
  while (i < blocks.length - 1 && /^HTTP\/\S+ 100/.test(blocks[i]!)) i++;
  const head = blocks[i]!.split('\r\n');
  const status = Number(/^HTTP\/\S+ (\d+)/.exec(head[0]!)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const h of head.slice(1)) {
    const j = h.indexOf(':');
    if (j > 0) headers[h.slice(0, j).toLowerCase()] = h.slice(j + 1).trim();
  }
  return { status, headers, body: blocks.slice(i + 1).join('\r\n\r\n') };
}
