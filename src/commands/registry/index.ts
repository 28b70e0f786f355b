import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerCatalogCommand } from './catalog.js';
import { registerTagsCommand } from './tags.js';
import { registerUserCommands } from './user.js';

/** `regctl registry catalog|tags|user`: talk to a running registry, and manage its htpasswd users. */
export function register(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const registry = program
    .command('registry')
    .description('list what a registry holds (catalog, tags) and manage the users of an htpasswd registry');
  registerCatalogCommand(registry, ctx, setExit);
  registerTagsCommand(registry, ctx, setExit);
  registerUserCommands(registry, ctx, setExit);
}
