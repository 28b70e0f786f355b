// Build: type-check with tsc, then bundle the CLI with esbuild into dist/ (one file per lazily
// loaded command). A bundle starts several times faster than ~100 separate ES modules plus their
// dependencies' module resolution, which matters for `regctl prepare` in scripts and benches.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins
  banner: { js: "import { createRequire as __regctlCreateRequire } from 'node:module'; const require = __regctlCreateRequire(import.meta.url);" },
});
