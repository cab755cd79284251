import type { Argv, CommandModule } from 'yargs'
import type { GlobalArgs } from './run-command.js'

export interface CommandSpec<Args> {
  readonly command: string | readonly string[]
  readonly describe: string
  readonly builder: (y: Argv<GlobalArgs>) => Argv<unknown>
  readonly handler: (args: Args & GlobalArgs) => Promise<void>
}

/** One yargs command module; the handler's argument type is stated by the command's own `Args`. */
export function defineCommand<Args>(spec: CommandSpec<Args>): CommandModule<GlobalArgs, Args & GlobalArgs> {
  return {
    command: spec.command,
    describe: spec.describe,
    // yargs infers argument types through the builder chain, which loses them across our
    // shared option helpers; each command's Args interface states them instead.
    builder: spec.builder as unknown as (y: Argv<GlobalArgs>) => Argv<Args & GlobalArgs>,
    // ArgumentsCamelCase<T> only adds camel-cased aliases and `_`/`$0` to T.
    handler: (args) => spec.handler(args as unknown as Args & GlobalArgs),
  }
}
