import { defineCommand } from '../define-command.js'
import type { LintArgs } from '../handlers/lint.js'
import { withDirectory, withXArg } from './shared-options.js'

export const lintCommand = defineCommand<LintArgs>({
  name: 'lint',
  describe: 'Check what revisions lock, rewrite and scan on a live database (exit 1 on error-level findings)',
  positionals: [{ name: 'range', describe: 'A revision, or <start>:<end> as one upgrade runs it (default: every revision, each alone)' }],
  builder: (y) =>
    withXArg(withDirectory(y)).option('table-sizes', {
      type: 'boolean',
      default: true,
      describe: 'Read the sizes of the tables with findings from the PostgreSQL server (--no-table-sizes to skip)',
    }),
  handler: async (args) => (await import('../handlers/lint.js')).runLint(args),
})
