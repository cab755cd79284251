import type { Argv } from 'yargs'
import { defineCommand } from '../define-command.js'
import type { RevisionArgs } from '../handlers/revision.js'
import { withDirectory, withXArg } from './shared-options.js'

/** The options `revision` and `migrate` share (Flask-Migrate's list). */
export const withRevisionOptions = <T>(y: Argv<T>) =>
  withXArg(withDirectory(y))
    .option('message', { alias: 'm', type: 'string', describe: 'Revision message' })
    // Accepted so that a Flask-Migrate script passing it fails as there (exit 1, Alembic's
    // words); hidden from --help, where it would offer something that can only fail.
    .option('sql', { type: 'boolean', default: false, hidden: true })
    .option('head', { type: 'string', default: 'head', describe: 'Specify head revision or <branchname>@head to base new revision on' })
    .option('splice', { type: 'boolean', default: false, describe: 'Allow a non-head revision as the "head" to splice onto' })
    .option('branch-label', { type: 'string', describe: 'Specify a branch label to apply to the new revision' })
    .option('version-path', { type: 'string', describe: 'Specify specific path from config for version file' })
    .option('rev-id', { type: 'string', describe: 'Specify a hardcoded revision id instead of generating one' })
    .option('depends-on', { type: 'string', array: true, describe: 'Revision(s) this revision depends on (repeatable)' })
    .option('rename', {
      type: 'string',
      array: true,
      describe: 'With autogenerate, a rename instead of drop + add: table.old:new (column) or old:new (table); repeatable',
    })

export const revisionCommand = defineCommand<RevisionArgs>({
  name: 'revision',
  describe: 'Create a new revision file',
  builder: (y) =>
    withRevisionOptions(y).option('autogenerate', {
      type: 'boolean',
      default: false,
      describe: 'Populate revision script with candidate migration operations, based on comparison of database to the schema declaration',
    }),
  handler: async (args) => (await import('../handlers/revision.js')).runRevision(args),
})
