import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'

export const listTemplatesCommand = defineCommand<GlobalArgs>({
  name: 'list-templates',
  describe: 'List available templates',
  builder: (y) => y,
  handler: async (args) => (await import('../handlers/init.js')).runListTemplates(args),
})
