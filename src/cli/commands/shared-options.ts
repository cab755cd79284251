import type { Argv } from 'yargs'

/** `-d/--directory`, which every `db` command takes (Flask-Migrate's option). */
export const withDirectory = <T>(y: Argv<T>) =>
  y.option('directory', {
    alias: 'd',
    type: 'string',
    describe: 'Migrations folder (default: the config\'s migrationsDir, else "migrations")',
  })

/** Flask-Migrate's `-x/--x-arg`, repeatable: read by the config and revision files (`xArgs`). */
export const withXArg = <T>(y: Argv<T>) =>
  y.option('x-arg', {
    alias: 'x',
    type: 'string',
    requiresArg: true,
    describe: 'key=value handed to the config and to revision files as xArgs (repeatable), e.g. -x data=true',
  })

/** What `upgrade`, `downgrade` and `stamp` take: `-d`, `--sql`, `--tag`, `--lock-timeout`, `-x`. */
export function withRunOptions<T>(y: Argv<T>) {
  const options = withDirectory(y)
    .option('sql', { type: 'boolean', default: false, describe: "Don't touch the database: print the SQL script instead" })
    .option('tag', { type: 'string', describe: 'Arbitrary tag name (accepted for Flask-Migrate compatibility)' })
    .option('lock-timeout', {
      type: 'number',
      requiresArg: true,
      describe: "Seconds to wait for another tsdb run's lock before failing (default: wait)",
    })
    // yargs turns `--lock-timeout abc` into NaN; that must not mean "wait forever".
    .check((argv) => {
      const value = argv['lock-timeout']
      return value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0)
        ? true
        : `--lock-timeout must be a number of seconds (0 or more), e.g. --lock-timeout 30`
    })
  return withXArg(options)
}
