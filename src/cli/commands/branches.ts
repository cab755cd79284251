import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export const branchesCommand = defineCommand<GlobalArgs>({
  name: 'branches',
  describe: 'Show current branch points',
  builder: (y) => withDirectory(y),
  handler: async (args) => (await import('../handlers/history.js')).runBranches(args),
})
