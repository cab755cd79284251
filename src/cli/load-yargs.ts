import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { inspect } from 'node:util'
import type { Argv } from 'yargs'
import { isPlainText, wrapPlainText } from './plain-text.js'

/** What `import yargs from 'yargs'` gives: a function making a parser of the given arguments. */
export type YargsFactory = (args: string[]) => Argv

/** The measuring functions cliui is given (cliui 9's mixin). */
interface CliuiMixin {
  stringWidth(text: string): number
  stripAnsi(text: string): string
  wrap(text: string, columns: number, options?: WrapOptions): string
}
interface WrapOptions {
  readonly hard?: boolean
  readonly trim?: boolean
  readonly wordWrap?: boolean
}

/**
 * yargs as `import yargs from 'yargs'` builds it, but on a platform whose help renderer (cliui,
 * string-width, wrap-ansi) loads when help is shown rather than on every start, and measures
 * plain text without them (see plain-text.ts). The platform is yargs 18's own
 * (yargs/lib/platform-shims/esm.mjs) with those parts, and the parts only unused features need
 * (find-up, the caller's file), made lazy; yargs' factory takes it as an argument.
 */
export async function loadYargs(): Promise<YargsFactory> {
  const yargsUrl = import.meta.resolve('yargs')
  const yargsPath = fileURLToPath(yargsUrl)
  // yargs' own dependencies resolve from yargs' folder, wherever the package manager put them.
  const requireFromYargs = createRequire(yargsPath)
  const [factory, argvBin, parser] = await Promise.all([
    import(new URL('build/lib/yargs-factory.js', yargsUrl).href),
    import(new URL('build/lib/utils/process-argv.js', yargsUrl).href),
    import(pathToFileURL(requireFromYargs.resolve('yargs-parser')).href),
  ])
  // yargs ships no types for its internal modules; these are the shapes yargs 18 has.
  const { YargsFactory } = factory as { YargsFactory: (platform: object) => YargsFactory }
  const { getProcessArgvBin } = argvBin as { getProcessArgvBin: () => string }
  const y18n = requireFromYargs('y18n') as (options: { directory: string; updateFiles: boolean }) => object
  const loadStringWidth = once(() => (requireFromYargs('string-width') as { default: (text: string) => number }).default)
  const loadGetCallerFile = once(() => requireFromYargs('get-caller-file') as (position: number) => string)
  const mainFilename = yargsPath.substring(0, yargsPath.lastIndexOf('node_modules'))
  // Typed loosely: TypeScript only allows assertion functions called through their own name.
  const loadAssert = once(() => requireFromYargs('node:assert') as Record<'notStrictEqual' | 'strictEqual', (actual: unknown, expected: unknown, message?: string) => void>)
  return YargsFactory({
    // yargs asserts its invariants on every command; node:assert loads only to report a failure.
    assert: {
      notStrictEqual: (actual: unknown, expected: unknown, message?: string) => {
        if (Object.is(actual, expected)) loadAssert().notStrictEqual(actual, expected, message)
      },
      strictEqual: (actual: unknown, expected: unknown, message?: string) => {
        if (!Object.is(actual, expected)) loadAssert().strictEqual(actual, expected, message)
      },
    },
    cliui: createLazyCliui(requireFromYargs),
    findUp: (dir: string, match: (dir: string, names: string[]) => string | undefined) =>
      (requireFromYargs('escalade/sync') as (dir: string, match: (dir: string, names: string[]) => string | undefined) => string | undefined)(
        dir,
        match,
      ),
    getEnv: (key: string) => process.env[key],
    inspect,
    getProcessArgvBin,
    mainFilename: mainFilename || process.cwd(),
    Parser: (parser as { default: unknown }).default,
    path: { basename, dirname, extname, relative, resolve, join },
    process: {
      argv: () => process.argv,
      cwd: process.cwd,
      emitWarning: (warning: string, type: string) => process.emitWarning(warning, type),
      execPath: () => process.execPath,
      exit: (code: number) => {
        // yargs' own platform exits for `--help` and `--version` unless told not to.
        process.exit(code)
      },
      nextTick: process.nextTick,
      stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null,
    },
    readFileSync,
    readdirSync,
    require: requireFromYargs,
    getCallerFile: () => {
      const callerFile = loadGetCallerFile()(3)
      return callerFile.match(/^file:\/\//) ? fileURLToPath(callerFile) : callerFile
    },
    stringWidth: (text: string) => (isPlainText(text) ? text.length : loadStringWidth()(text)),
    y18n: y18n({ directory: join(dirname(yargsPath), 'locales'), updateFiles: false }),
  })
}

/**
 * `cliui(options)` as yargs' platform has it, loading cliui (and what it measures text with)
 * on the first call, that is when help is shown. Plain text is measured and wrapped here.
 */
function createLazyCliui(requireFromYargs: NodeJS.Require): (options: object) => unknown {
  const load = once(() => {
    const cliuiPath = requireFromYargs.resolve('cliui')
    const requireFromCliui = createRequire(cliuiPath)
    // cliui's entry binds its own mixin; its build takes one. These are ES modules, loaded
    // synchronously because yargs renders help synchronously.
    const { cliui } = requireFromCliui(join(dirname(cliuiPath), 'build/lib/index.js')) as {
      cliui: (options: object, mixin: CliuiMixin) => unknown
    }
    const stringWidth = once(() => (requireFromCliui('string-width') as { default: CliuiMixin['stringWidth'] }).default)
    const stripAnsi = once(() => (requireFromCliui('strip-ansi') as { default: CliuiMixin['stripAnsi'] }).default)
    const wrap = once(() => (requireFromCliui('wrap-ansi') as { default: CliuiMixin['wrap'] }).default)
    const mixin: CliuiMixin = {
      stringWidth: (text) => (isPlainText(text) ? text.length : stringWidth()(text)),
      stripAnsi: (text) => (isPlainText(text) ? text : stripAnsi()(text)),
      wrap: (text, columns, options) =>
        isPlainText(text) && options?.hard === true && options.trim !== false && options.wordWrap !== false
          ? wrapPlainText(text, columns)
          : wrap()(text, columns, options),
    }
    return (options: object) => cliui(options, mixin)
  })
  return (options) => load()(options)
}

function once<T>(load: () => T): () => T {
  let value: { readonly loaded: T } | undefined
  return () => (value ??= { loaded: load() }).loaded
}
