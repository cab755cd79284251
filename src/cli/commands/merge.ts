import { defineCommand } from '../define-command.js'
import type { MergeArgs } from '../handlers/revision.js'
import { withDirectory } from './shared-options.js'

export const mergeCommand = defineCommand<MergeArgs>({
  name: 'merge',
  describe: 'Merge two revisions together, creating a new revision file',
  positionals: [{ name: 'revisions', isVariadic: true, describe: "Revisions to merge (e.g. 'heads', or two ids)" }],
  builder: (y) =>
    withDirectory(y)
      .option('message', { alias: 'm', type: 'string', describe: 'Merge revision message' })
      .option('branch-label', { type: 'string', describe: 'Specify a branch label to apply to the new revision' })
      .option('rev-id', { type: 'string', describe: 'Specify a hardcoded revision id instead of generating one' }),
  handler: async (args) => (await import('../handlers/revision.js')).runMerge(args),
})
