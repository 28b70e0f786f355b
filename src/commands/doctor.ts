import type { Command } from 'commander';
import type { CliContext } from './context.js';

// Placeholder until the issue that owns this command lands; it registers nothing yet.
export function register(_program: Command, _ctx: CliContext, _setExit: (code: number) => void): void {}
