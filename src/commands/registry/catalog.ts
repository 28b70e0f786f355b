/** `regctl registry catalog HOST[:PORT]`: the repositories of a registry, every page. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { action } from '../action.js';
import { ExitCode } from '../../errors.js';
import { parseTarget } from '../../registry-client/target.js';
import { examples } from '../cert/shared.js';
import { connect, connectionOptions, type ConnectionFlags } from './connection.js';

export function registerCatalogCommand(registry: Command, ctx: CliContext, setExit: (code: number) => void): void {
  connectionOptions(
    registry
      .command('catalog')
      .description('list the repositories of a registry (GET /v2/_catalog, every page)')
      .argument('<host[:port]>', 'the registry as clients write it in image names; http://HOST:PORT for one without TLS'),
  )
    .addHelpText(
      'after',
      examples([
        "printf '%s' \"$PASSWORD\" | regctl registry catalog reg.example.com --username admin --password-stdin",
        'regctl registry catalog 192.168.120.85:5000 --ca regctl-ca/ca.crt --json',
        '# without --username: the credentials docker login stored (~/.docker/config.json)',
      ]),
    )
    .action(
      action(ctx, setExit, async (run, host: string, flags: ConnectionFlags) => {
        const target = parseTarget(host, { repository: false });
        const { client, findings } = await connect(run, flags, target);
        const r = await client.catalog();
        return {
          exitCode: ExitCode.ok,
          findings,
          lines: r.items.length ? r.items : [`${target.registry.name} has no repositories yet.`],
          data: { registry: target.registry.name, repositories: r.items, pages: r.pages, auth: r.auth },
          next: r.items.length ? [`regctl registry tags ${target.scheme === 'http' ? 'http://' : ''}${target.registry.name}/${r.items[0]}`] : [],
        };
      }),
    );
}
