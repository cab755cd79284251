import { runCommand } from '../run-command.js'
import { runMigrate } from './migrate.js'
import { revisionOptions, type RevisionArgs } from './revision-options.js'

export interface RevisionCommandArgs extends RevisionArgs {
  readonly autogenerate: boolean
}

export async function runRevision(args: RevisionCommandArgs): Promise<void> {
  if (args.autogenerate) return runMigrate(args)
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    if (args.sql) {
      throw new api.CommandError(
        'Using --sql with the revision command does not make any sense: use `tsdb db upgrade --sql` to see the SQL of revisions',
        { code: 'SQL_NOT_SUPPORTED' },
      )
    }
    const config = await ctx.loadConfig()
    const created = await api.revision(config, revisionOptions(args))
    if (ctx.json) return ctx.out.json(created)
    ctx.out.result(`Generating ${created.path} ...  done`)
  })
}
