import { execa } from 'execa';
import type { CommandRunner } from './types.js';

/** Runs a refresh command such as update-ca-certificates; never throws. */
export const runCommand: CommandRunner = async (argv) => {
  try {
    const r = await execa(argv[0]!, argv.slice(1), { reject: false, all: true, timeout: 120_000 });
    return { ok: r.exitCode === 0, output: (r.all ?? '').trim() || (r.failed && r.exitCode === undefined ? String(r.message) : '') };
  } catch (err) {
    return { ok: false, output: (err as Error).message };
  }
};
