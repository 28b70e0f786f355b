import type { Command } from 'commander';
import type { CliContext } from './context.js';
import * as prepare from './prepare.js';
import * as cert from './cert.js';
import * as doctor from './doctor.js';
import * as install from './install.js';
import * as lifecycle from './lifecycle.js';

export interface CommandModule {
  register(program: Command, ctx: CliContext, setExit: (code: number) => void): void;
}

/** Every top-level command; a new command is a new module added here. */
export const commandModules: CommandModule[] = [prepare, cert, doctor, install, lifecycle];
