/** `regctl registry tags HOST[:PORT]/REPO`: the tags of one repository, every page. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode } from '../../errors.js';
import { parseTarget } from '../../registry-client/target.js';
import { examples } from '../cert/shared.js';
import { connect, connectionOptions, type ConnectionFlags } from './connection.js';

export function registerTagsCommand(registry: Command, ctx: CliContext, setExit: (code: number) => void): void {
  connectionOptions(
    registry
      .command('tags')
      .description('list the tags of a repository (GET /v2/REPO/tags/list, every page)')
      .argument('<host[:port]/repo>', 'registry and repository as in an image name, without the tag'),
  )
    .addHelpText(
      'after',
      examples([
        "printf '%s' \"$PASSWORD\" | regctl registry tags reg.example.com/library/nginx --username admin --password-stdin",
        'regctl registry tags 192.168.120.85:5000/seed --json',
      ]),
    )
    .action(
      action(ctx, setExit, async (run, ref: string, flags: ConnectionFlags) => {
        const target = parseTarget(ref, { repository: true });
        const repository = target.repository!;
        const { client, findings } = await connect(run, flags, target);
        const r = await client.tags(repository);
        return {
          exitCode: ExitCode.ok,
          findings,
          lines: r.items.length ? r.items : [`${target.registry.name}/${repository} has no tags.`],
          data: { registry: target.registry.name, repository, tags: r.items, pages: r.pages, auth: r.auth },
        };
      }),
    );
}
