import type { Command } from 'commander';
import type { CliContext } from './context.js';

export interface CommandModule {
  register(program: Command, ctx: CliContext, setExit: (code: number) => void): void;
}

export interface CommandEntry {
  /** the top-level command names the module registers */
  names: readonly string[];
  load(): Promise<CommandModule>;
}

/**
 * Every top-level command; a new command is a new module added here. Modules are loaded only when
 * their command runs (or for the full --help), so `regctl prepare` does not pay for execa, forge
 * or the prompt library at start-up.
 */
export const commandEntries: readonly CommandEntry[] = [
  { names: ['init'], load: () => import('./init.js') },
  { names: ['prepare'], load: () => import('./prepare.js') },
  { names: ['cert'], load: () => import('./cert/index.js') },
  { names: ['doctor'], load: () => import('./doctor.js') },
  { names: ['install'], load: () => import('./install.js') },
  { names: ['down', 'status', 'logs'], load: () => import('./lifecycle.js') },
  { names: ['registry'], load: () => import('./registry/index.js') },
  { names: ['verify'], load: () => import('./verify.js') },
  { names: ['migrate'], load: () => import('./migrate.js') },
  { names: ['export'], load: () => import('./export/index.js') },
  { names: ['upgrade'], load: () => import('./upgrade.js') },
  { names: ['backup'], load: () => import('./backup.js') },
  { names: ['restore'], load: () => import('./restore.js') },
];

/** The entries needed for this argv: the invoked command's module, or all of them (help, unknown). */
export function entriesFor(argv: readonly string[]): readonly CommandEntry[] {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  const match = commandEntries.filter((e) => first !== undefined && e.names.includes(first));
  return match.length ? match : commandEntries;
}
