import { defineCommand } from '../define-command.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly revisions: string[]
  readonly message?: string
  readonly 'branch-label'?: string
  readonly 'rev-id'?: string
}

export const mergeCommand = defineCommand<Args>({
  command: 'merge <revisions..>',
  describe: 'Merge two revisions together, creating a new revision file',
  builder: (y) =>
    withDirectory(y)
      .positional('revisions', { type: 'string', array: true, describe: "Revisions to merge (e.g. 'heads', or two ids)" })
      .option('message', { alias: 'm', type: 'string', describe: 'Merge revision message' })
      .option('branch-label', { type: 'string', describe: 'Specify a branch label to apply to the new revision' })
      .option('rev-id', { type: 'string', describe: 'Specify a hardcoded revision id instead of generating one' }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { merge } = await import('../../index.js')
      const created = await merge(await ctx.loadConfig(), args.revisions, {
        ...(args.message !== undefined && { message: args.message }),
        ...(args['branch-label'] !== undefined && { branchLabel: args['branch-label'] }),
        ...(args['rev-id'] !== undefined && { revId: args['rev-id'] }),
      })
      if (ctx.json) return ctx.out.json(created)
      ctx.out.result(`Generating ${created.path} ...  done`)
    }),
})
