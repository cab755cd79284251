import { RelativeRevisionError, type TsdbError } from '../errors.js'

/**
 * What to do, for errors raised where the CLI's commands are unknown: the revision graph speaks
 * Alembic's words only (STYLE §2), and the runner reports what failed. The CLI adds the next
 * step a user can take, unless the message already names a command to run.
 */
export function hintFor(error: TsdbError): string | null {
  if (/`tsdb db /.test(error.message)) return null
  // `+0` or `-0` is not a question of where the database is.
  if (error instanceof RelativeRevisionError && error.steps === 0) {
    return 'A relative target moves at least one step: use +1 or -1, or name the revision.'
  }
  switch (error.code) {
    case 'UNKNOWN_REVISION':
      return 'Run `tsdb db history` to list the revisions and `tsdb db heads` for the heads.'
    case 'RELATIVE_REVISION':
    case 'REVISION_ERROR':
      return 'Run `tsdb db current` and `tsdb db history -i` to see where the database is.'
    case 'RANGE_NOT_ANCESTOR':
      return 'Run `tsdb db history` to see the order of the revisions.'
    case 'MIGRATION_FAILED':
      return 'Fix the revision file and run the command again; `tsdb db current` shows where the database is.'
    default:
      return null
  }
}
