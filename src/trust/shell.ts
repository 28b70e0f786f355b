import path from 'node:path';
import type { PlannedFile } from './types.js';

/** Shell lines that create `file` with its content and mode (for --print). */
export function heredocFile(file: PlannedFile): string[] {
  const marker = 'REGCTL_EOF';
  return [`mkdir -p '${path.posix.dirname(file.path)}'`, `cat > '${file.path}' <<'${marker}'`, file.content.trimEnd(), marker, `chmod ${file.mode.toString(8)} '${file.path}'`];
}
