import type { RevisionCommandArgs } from '../commands/revision.js'
import { runCommand } from '../run-command.js'
import { runMigrate } from './migrate.js'

export async function runRevision(args: RevisionCommandArgs): Promise<void> {
  if (args.autogenerate) return runMigrate(args)
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    if (args.sql) {
      throw new api.UsageError(
        'Using --sql with the revision command does not make any sense: use `tsdb db upgrade --sql` to see the SQL of revisions',
      )
    }
    const config = await ctx.loadConfig()
    const options = {
      ...(args.message !== undefined && { message: args.message }),
      head: args.head,
      splice: args.splice,
      ...(args['branch-label'] !== undefined && { branchLabel: args['branch-label'] }),
      ...(args['version-path'] !== undefined && { versionPath: args['version-path'] }),
      ...(args['rev-id'] !== undefined && { revId: args['rev-id'] }),
      ...(args['depends-on'] !== undefined && { dependsOn: args['depends-on'] }),
    }
    const created = await api.revision(config, options)
    if (ctx.json) return ctx.out.json(created)
    ctx.out.result(`Generating ${created.path} ...  done`)
  })
}
