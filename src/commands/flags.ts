/**
 * Flags every command shares, declared once so their names, help and meaning stay the same
 * everywhere, and the one way a command writes "the next step" with the user's own flags.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { statIfExists } from '../util/fs.js';
import { ExitCode, RegctlError } from '../errors.js';
import { DEFAULT_LOCK_WAIT_MS } from '../util/run-lock.js';
import { defaultRelease, supportedReleasesText } from '../releases/index.js';
import { NOTARY_REMOVED_IN } from '../installation/release-choice.js';

export const ROOT_HELP =
  'prefix for every absolute host path from the config or the installation (read and written under DIR, which must exist); paths typed on the command line are taken as given';

export function rootOption(cmd: Command, defaultValue?: string): Command {
  return cmd.option('--root <dir>', ROOT_HELP, defaultValue);
}

export const JSON_HELP = 'print the result as JSON (see regctl --help for the envelope)';

export function jsonOption(cmd: Command, what = JSON_HELP): Command {
  return cmd.option('--json', what);
}

/** --root must name an existing directory, in every command: a typo must not grow a new /etc tree. */
export async function resolveRootFlag(cwd: string, value: string | undefined): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const root = path.resolve(cwd, value);
  const st = await statIfExists(root, { follow: true });
  if (!st?.isDirectory()) {
    throw new RegctlError('E_ROOT_NOT_DIR', `--root ${value} is not an existing directory`, {
      fix: st ? 'point --root at a directory' : `create it first (mkdir -p ${root}), or check the path`,
      exitCode: ExitCode.invalidInput,
    });
  }
  return root;
}

/** POSIX shell quoting, only where needed: next-step lines are meant to be pasted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `regctl install --config /x/harbor.yml --root /tmp/r`: flags in the order given, unset ones left out. */
export function commandLine(words: string[], flags: [string, string | boolean | undefined][] = []): string {
  const parts = ['regctl', ...words];
  for (const [flag, value] of flags) {
    if (value === undefined || value === false) continue;
    parts.push(flag);
    if (value !== true) parts.push(shellQuote(value));
  }
  return parts.join(' ');
}

/** --lock-wait: one run at a time per install dir and data_volume; how long a second one waits. */
export const LOCK_WAIT_HELP = 'when another regctl run holds this install dir or data_volume, wait this long for it, then exit 1 (0: do not wait)';

export function lockWaitOption(cmd: Command): Command {
  return cmd.option('--lock-wait <seconds>', LOCK_WAIT_HELP, String(DEFAULT_LOCK_WAIT_MS / 1000));
}

/** --timeout SECONDS of the commands that wait for a healthy stack: a whole number, at least 1. */
export function parseTimeout(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new RegctlError('E_USAGE', `--timeout must be a whole number of seconds, got '${value}'`, { exitCode: ExitCode.invalidInput, fix: 'for example --timeout 300' });
  }
  return n;
}

export function parseLockWait(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new RegctlError('E_USAGE', `--lock-wait must be a whole number of seconds, got '${value}'`, { exitCode: ExitCode.invalidInput, fix: 'for example --lock-wait 120, or --lock-wait 0 to fail at once' });
  }
  return n * 1000;
}

/** --harbor-version: which Harbor release to render for (src/releases/). */
export function harborVersionOption(cmd: Command): Command {
  return cmd.option(
    '--harbor-version <x.y.z>',
    `Harbor release to render for: ${supportedReleasesText()} (default: the release the install dir was rendered for, else ${defaultRelease.version.replace(/^v/, '')})`,
  );
}

export const WITH_NOTARY_HELP = `include Notary (Docker Content Trust; https only): Harbor has it up to the 2.8 line, removed in ${NOTARY_REMOVED_IN}`;
