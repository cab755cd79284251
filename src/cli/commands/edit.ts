import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export interface EditArgs extends GlobalArgs {
  readonly revision: string
}

export const editCommand = defineCommand<EditArgs>({
  name: 'edit',
  describe: 'Edit a revision file using $EDITOR',
  positionals: [{ name: 'revision', default: 'head', describe: 'Revision to edit' }],
  builder: (y) => withDirectory(y),
  handler: async (args) => (await import('../handlers/edit.js')).runEdit(args),
})
