import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export const currentCommand = defineCommand<GlobalArgs>({
  name: 'current',
  describe: 'Display the current revision for each database',
  builder: (y) => withDirectory(y),
  handler: async (args) => (await import('../handlers/history.js')).runCurrent(args),
})
