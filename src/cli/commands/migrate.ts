import { defineCommand } from '../define-command.js'
import type { RevisionArgs } from '../handlers/revision.js'
import { withRevisionOptions } from './revision.js'

export const migrateCommand = defineCommand<RevisionArgs>({
  name: 'migrate',
  describe: 'Autogenerate a new revision file (alias for \'revision --autogenerate\')',
  builder: (y) => withRevisionOptions(y),
  handler: async (args) => (await import('../handlers/revision.js')).runMigrate(args),
})
