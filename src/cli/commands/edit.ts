import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export interface EditArgs extends GlobalArgs {
  readonly revision: string
}

export const editCommand = defineCommand<EditArgs>({
  command: 'edit [revision]',
  describe: 'Edit a revision file using $EDITOR',
  builder: (y) => withDirectory(y).positional('revision', { type: 'string', default: 'head', describe: 'Revision to edit' }),
  handler: async (args) => (await import('../handlers/edit.js')).runEdit(args),
})
