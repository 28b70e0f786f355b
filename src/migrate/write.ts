/**
 * Writing the migrated file: atomically (a temp file in the same directory, fsynced, renamed over),
 * never over an existing file without --force; when the file replaced is the input itself, the
 * original is kept next to it first.
 */
import { link, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode, RegctlError } from '../errors.js';
import { statIfExists, writeDurable } from '../util/fs.js';

export async function writeAtomically(file: string, text: string, mode = 0o600): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.regctl-${process.pid}-${Date.now()}.tmp`);
  try {
    await writeDurable(tmp, text, mode, 'wx');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Refuses (exit 2) an existing output without --force; returns the backup path when the input is replaced. */
export async function checkOutput(output: string, input: string, force: boolean, backupSuffix: string): Promise<string | undefined> {
  const st = await statIfExists(output, { follow: true });
  if (!st) {
    const dir = await statIfExists(path.dirname(output), { follow: true });
    if (!dir?.isDirectory()) {
      throw new RegctlError('E_OUTPUT_DIR', `the directory of --output ${output} does not exist`, { file: output, exitCode: ExitCode.invalidInput, fix: `create it first (mkdir -p ${path.dirname(output)}), or check the path` });
    }
    return undefined;
  }
  if (!st.isFile()) throw new RegctlError('E_OUTPUT_EXISTS', `${output} exists and is not a regular file`, { file: output, exitCode: ExitCode.invalidInput, fix: 'choose another --output' });
  if (!force) {
    throw new RegctlError('E_OUTPUT_EXISTS', `${output} exists; nothing was written`, {
      file: output,
      exitCode: ExitCode.invalidInput,
      fix: `pass --output NEWFILE, or --force to replace it${path.resolve(output) === path.resolve(input) ? ` (the original is kept as ${path.basename(output)}${backupSuffix})` : ''}; --dry-run shows the change first`,
    });
  }
  if (path.resolve(output) !== path.resolve(input)) return undefined;
  for (let i = 0; ; i++) {
    const backup = `${output}${backupSuffix}${i ? `.${i}` : ''}`;
    if (await statIfExists(backup)) continue;
    return backup;
  }
}

/** A hard link keeps the original's bytes, mode and owner; the new file is then renamed over `file`. */
export async function keepBackup(file: string, backup: string): Promise<void> {
  await link(file, backup);
  await stat(backup);
}
