import type { Argv, CommandModule } from 'yargs'
import type { GlobalArgs } from './run-command.js'

/** A positional argument of a command; every one is optional, as Flask-Migrate's are. */
export interface PositionalSpec {
  readonly name: string
  readonly describe: string
  /** Applied only after the arguments following `--` have had their turn at the slot. */
  readonly default?: string
  /** Takes every remaining argument (`merge a b c`). Only the last positional may be. */
  readonly isVariadic?: boolean
}

export interface CommandSpec<Args> {
  readonly name: string
  readonly describe: string
  readonly positionals?: readonly PositionalSpec[]
  readonly builder: (y: Argv<GlobalArgs>) => Argv<unknown>
  readonly handler: (args: Args & GlobalArgs) => Promise<void>
}

/** One yargs command module; the handler's argument type is stated by the command's own `Args`. */
export function defineCommand<Args>(spec: CommandSpec<Args>): CommandModule<GlobalArgs, Args & GlobalArgs> {
  const positionals = spec.positionals ?? []
  return {
    command: [spec.name, ...positionals.map((p) => (p.isVariadic === true ? `[${p.name}..]` : `[${p.name}]`))].join(' '),
    describe: spec.describe,
    // yargs infers argument types through the builder chain, which loses them across our
    // shared option helpers; each command's Args interface states them instead.
    builder: ((y: Argv<GlobalArgs>) => {
      for (const p of positionals) {
        // No yargs default: a default would hide whether the slot was filled before `--`.
        y = y.positional(p.name, {
          type: 'string',
          describe: p.describe,
          ...(p.isVariadic === true && { array: true }),
          ...(p.default !== undefined && { defaultDescription: JSON.stringify(p.default) }),
        })
      }
      return spec.builder(y).middleware((argv) => fillPositionals(argv, positionals), true)
    }) as unknown as (y: Argv<GlobalArgs>) => Argv<Args & GlobalArgs>,
    // ArgumentsCamelCase<T> only adds camel-cased aliases and `_`/`$0` to T.
    handler: (args) => spec.handler(args as unknown as Args & GlobalArgs),
  }
}

/**
 * Click's rule, which Flask-Migrate users rely on (`tsdb db downgrade -- -2`): everything after
 * `--` is positional, filling the slots left empty before it, in order. What no slot takes stays
 * in `--`, for `rejectLeftoverArguments` to refuse.
 */
export function fillPositionals(argv: Record<string, unknown>, positionals: readonly PositionalSpec[]): void {
  const rest = Array.isArray(argv['--']) ? argv['--'].map(String) : []
  for (const p of positionals) {
    const given = argv[p.name]
    let value: string | string[] | undefined
    if (p.isVariadic === true) {
      const before = given === undefined ? [] : (Array.isArray(given) ? given : [given]).map(String)
      value = [...before, ...rest.splice(0)]
      if (value.length === 0) value = p.default === undefined ? [] : [p.default]
    } else {
      value = given === undefined ? (rest.shift() ?? p.default) : String(given)
    }
    argv[p.name] = value
  }
  argv['--'] = rest
}

/** The message for arguments that no positional slot took, or `true` when there are none. */
export function rejectLeftoverArguments(argv: Record<string, unknown>): true | string {
  const rest = Array.isArray(argv['--']) ? argv['--'].map(String) : []
  if (rest.length === 0) return true
  // Click's wording, which Flask-Migrate prints for the same mistake.
  return `Got unexpected extra argument${rest.length === 1 ? '' : 's'} (${rest.join(' ')})`
}
