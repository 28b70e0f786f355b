/** Dotted version numbers as Docker and Compose print them ("20.10.24+dfsg1", "v2.27.0", "1.29.2"). */
export type Version = [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function versionAtLeast(text: string, min: Version): boolean {
  const v = parseVersion(text);
  return v !== undefined && compareVersions(v, min) >= 0;
}
