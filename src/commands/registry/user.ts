/**
 * `regctl registry user add|remove|list --htpasswd FILE`: the users of a registry that
 * authenticates with an htpasswd file (distribution's `auth: htpasswd`). Passwords are bcrypt
 * hashed (cost 10, $2y$ like htpasswd -B); a password comes from stdin or is generated and printed
 * once. The file is never followed through a link, and is replaced atomically with its mode and owner.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode, problem, RegctlError } from '../../errors.js';
import { JSON_HELP } from '../flags.js';
import { examples } from '../cert/shared.js';
import { lineUser, readHtpasswd, users, writeHtpasswd } from '../../htpasswd/file.js';
import { checkPassword, checkUserName, htpasswdLine, USER_BCRYPT_COST } from '../../htpasswd/line.js';
import { randomAlnum } from '../../secrets/random.js';
import { readSecretFromStdin } from './stdin.js';

const HTPASSWD_HELP = 'the htpasswd file the registry reads (auth.htpasswd.path in its config.yml)';
const GENERATED_LENGTH = 32;

interface UserFlags {
  htpasswd: string;
  passwordStdin?: boolean;
  force?: boolean;
  json?: boolean;
}

export function registerUserCommands(registry: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const user = registry
    .command('user')
    .description('add, remove and list the users of an htpasswd registry')
    .addHelpText(
      'after',
      examples([
        'regctl registry user add ci --htpasswd /etc/registry/passwd          # prints a generated password once',
        "printf '%s' \"$PASSWORD\" | regctl registry user add alice --htpasswd /etc/registry/passwd --password-stdin",
        'regctl registry user list --htpasswd /etc/registry/passwd',
        'regctl registry user remove ci --htpasswd /etc/registry/passwd',
        '# distribution reads the file again when it changes: no restart needed',
      ]),
    );

  user
    .command('add')
    .description('add a user (the password from stdin, or generated and printed once)')
    .argument('<name>', 'the user name')
    .requiredOption('--htpasswd <file>', HTPASSWD_HELP)
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .option('--force', 'replace the password of a user who exists')
    .option('--json', JSON_HELP)
    .action(
      action(ctx, setExit, async (run, name: string, flags: UserFlags) => {
        checkUserName(name);
        const file = await readHtpasswd(path.resolve(run.cwd, flags.htpasswd));
        const exists = users(file).includes(name);
        if (exists && !flags.force) {
          throw new RegctlError('E_HTPASSWD_USER_EXISTS', `${file.path} already has a user '${name}'`, { fix: `add --force to give ${name} a new password, or choose another name`, exitCode: ExitCode.invalidInput, file: file.path });
        }
        const generated = !flags.passwordStdin;
        const password = generated ? randomAlnum(GENERATED_LENGTH) : await readSecretFromStdin();
        checkPassword(password);
        const line = htpasswdLine(name, password, USER_BCRYPT_COST);
        const lines = exists ? file.lines.map((l) => (lineUser(l) === name ? line : l)) : [...file.lines, line];
        await writeHtpasswd(file, lines);
        const did = exists ? 'changed the password of' : 'added';
        return {
          exitCode: ExitCode.ok,
          lines: [`${file.exists ? 'Updated' : 'Created'} ${file.path}: ${did} user ${name}.`, ...(generated ? [`Password (shown once; store it now): ${password}`] : [])],
          findings: generated ? [problem('note', 'N_PASSWORD_SHOWN_ONCE', `the generated password of ${name} is printed only now; regctl keeps only its bcrypt hash`)] : [],
          data: { file: file.path, user: name, created: !file.exists, replaced: exists, ...(generated ? { password } : {}) },
        };
      }),
    );

  user
    .command('remove')
    .description('remove a user')
    .argument('<name>', 'the user name')
    .requiredOption('--htpasswd <file>', HTPASSWD_HELP)
    .option('--json', JSON_HELP)
    .action(
      action(ctx, setExit, async (run, name: string, flags: UserFlags) => {
        const file = await readHtpasswd(path.resolve(run.cwd, flags.htpasswd));
        if (!file.exists) throw new RegctlError('E_FILE_MISSING', `${file.path} does not exist`, { fix: 'check --htpasswd: the auth.htpasswd.path of the registry config', exitCode: ExitCode.invalidInput, file: file.path });
        if (!users(file).includes(name)) {
          throw new RegctlError('E_HTPASSWD_NO_USER', `${file.path} has no user '${name}'`, { fix: `its users: ${users(file).join(', ') || '(none)'}`, exitCode: ExitCode.invalidInput, file: file.path });
        }
        await writeHtpasswd(file, file.lines.filter((l) => lineUser(l) !== name));
        return { exitCode: ExitCode.ok, lines: [`Removed user ${name} from ${file.path}.`], data: { file: file.path, user: name, removed: true } };
      }),
    );

  user
    .command('list')
    .description('list the users')
    .requiredOption('--htpasswd <file>', HTPASSWD_HELP)
    .option('--json', JSON_HELP)
    .action(
      action(ctx, setExit, async (run, flags: UserFlags) => {
        const file = await readHtpasswd(path.resolve(run.cwd, flags.htpasswd));
        if (!file.exists) throw new RegctlError('E_FILE_MISSING', `${file.path} does not exist`, { fix: 'check --htpasswd, or create it with regctl registry user add NAME --htpasswd FILE', exitCode: ExitCode.invalidInput, file: file.path });
        const names = users(file);
        return { exitCode: ExitCode.ok, lines: names.length ? names : [`${file.path} has no users.`], data: { file: file.path, users: names } };
      }),
    );
}
