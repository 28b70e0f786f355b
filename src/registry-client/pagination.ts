/**
 * The `Link: </v2/_catalog?last=b&n=100>; rel="next"` header of a paged list (the distribution
 * spec's catalog and tags pagination), resolved against the page's URL. The client checks that it
 * stays on the registry's origin: credentials are never sent to another host because a header said so.
 */
export function nextPageUrl(linkValues: string[], current: URL): URL | undefined {
  for (const value of linkValues) {
    for (const m of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
      const params = m[2] ?? '';
      if (!/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params)) continue;
      return new URL(m[1]!, current);
    }
  }
  return undefined;
}
