import { defineCommand } from '../define-command.js'
import type { ShowArgs } from '../handlers/history.js'
import { withDirectory } from './shared-options.js'

export const editCommand = defineCommand<ShowArgs>({
  name: 'edit',
  describe: 'Edit a revision file using $EDITOR',
  positionals: [{ name: 'revision', default: 'head', describe: 'Revision to edit' }],
  builder: (y) => withDirectory(y),
  handler: async (args) => (await import('../handlers/history.js')).runEdit(args),
})
