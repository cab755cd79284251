import { runCommand, type GlobalArgs } from '../run-command.js'

export interface MergeArgs extends GlobalArgs {
  readonly revisions: string[]
  readonly message?: string
  readonly 'branch-label'?: string
  readonly 'rev-id'?: string
}

export async function runMerge(args: MergeArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { merge } = await import('../../index.js')
    const created = await merge(await ctx.loadConfig(), args.revisions, {
      ...(args.message !== undefined && { message: args.message }),
      ...(args['branch-label'] !== undefined && { branchLabel: args['branch-label'] }),
      ...(args['rev-id'] !== undefined && { revId: args['rev-id'] }),
      reporter: ctx.reporter,
    })
    if (ctx.json) return ctx.out.json(created)
    ctx.out.result(`Generating ${created.path} ...  done`)
  })
}
