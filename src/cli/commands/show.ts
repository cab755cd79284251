import { defineCommand } from '../define-command.js'
import type { ShowArgs } from '../handlers/history.js'
import { withDirectory } from './shared-options.js'

export const showCommand = defineCommand<ShowArgs>({
  name: 'show',
  describe: 'Show the revision denoted by the given symbol',
  positionals: [{ name: 'revision', default: 'head', describe: 'Revision, target symbol or current' }],
  builder: (y) => withDirectory(y),
  handler: async (args) => (await import('../handlers/history.js')).runShow(args),
})
