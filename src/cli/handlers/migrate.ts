import { promptRename } from '../rename-prompt.js'
import { runCommand } from '../run-command.js'
import { revisionOptions, type RevisionArgs } from './revision-options.js'

/** `migrate`, and `revision --autogenerate`. */
export async function runMigrate(args: RevisionArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    if (args.sql) {
      throw new api.CommandError(
        'Using --sql with --autogenerate does not make any sense: use `tsdb db upgrade --sql` to see the SQL of revisions',
        { code: 'SQL_NOT_SUPPORTED' },
      )
    }
    const config = await ctx.loadConfig()
    const result = await api.migrate(config, {
      ...revisionOptions(args),
      renames: (args.rename ?? []).map(api.parseRenameOption),
      ...(process.stdin.isTTY === true && process.env.CI === undefined && { resolveRename: promptRename }),
      reporter: ctx.reporter,
    })
    if (ctx.json) return ctx.out.json(result)
    if (result.created === null) ctx.out.info('No changes in schema detected.')
    else ctx.out.result(`Generating ${result.created.path} ...  done`)
    if (result.risks.length > 0) {
      ctx.out.warn(`${result.risks.length === 1 ? 'One step blocks' : `${result.risks.length} steps block`} a table while it scans or rewrites it (see the comments in the revision file):`)
      for (const risk of result.risks) ctx.out.warn(`  ${risk}`)
    }
  })
}
