import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory, withXArg } from './shared-options.js'

export const checkCommand = defineCommand<GlobalArgs>({
  name: 'check',
  describe: 'Check if the schema declaration and the database at head differ (exit 1 when they do)',
  builder: (y) => withXArg(withDirectory(y)),
  handler: async (args) => (await import('../handlers/revision.js')).runCheck(args),
})
