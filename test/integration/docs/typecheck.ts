/**
 * Type-checks a doc page's project the way `tsc -p tsconfig.json` would (the same diagnostics,
 * in tsc's plain format), but in the test process: the declaration files every page reads (the
 * standard library, @types/node, Kysely's and tsdb's types) are parsed once and shared by every
 * check, where a `tsc` process parsed them again each time.
 */
import { join, sep } from 'node:path'
import ts from 'typescript'

/** Files outside a project's own folder never change during a run: their parsed trees are shared. */
const sharedFiles = new Map<string, ts.SourceFile | undefined>()

/** tsc's output for the project's errors; empty when it type-checks. */
export function typecheckProject(projectDir: string): string {
  const diagnostics: ts.Diagnostic[] = []
  const parsed = ts.getParsedCommandLineOfConfigFile(join(projectDir, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
  })
  if (parsed === undefined) return format(diagnostics, projectDir)
  const host = ts.createCompilerHost(parsed.options)
  const readSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (fileName.startsWith(projectDir + sep) && !fileName.includes(`${sep}node_modules${sep}`)) {
      return readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile)
    }
    const settings = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions }
    const key = `${fileName}\0${settings.languageVersion}\0${settings.impliedNodeFormat ?? ''}`
    if (!sharedFiles.has(key)) sharedFiles.set(key, readSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile))
    return sharedFiles.get(key)
  }
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    host,
    configFileParsingDiagnostics: parsed.errors,
  })
  // What `tsc --noEmit` reports: the config's, the options', and every file's syntax and types.
  diagnostics.push(...ts.getPreEmitDiagnostics(program))
  return format(diagnostics, projectDir)
}

function format(diagnostics: readonly ts.Diagnostic[], projectDir: string): string {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => projectDir,
    getNewLine: () => '\n',
  })
}
