/**
 * The import graph of src/, read with TypeScript's own pre-processor: every `import`, `export …
 * from`, `import type` and literal `import()` of each file, relative ones resolved to files.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

export interface SourceImports {
  /** Path relative to src/, e.g. `cli/main.ts`. */
  readonly file: string
  /** Files of src/ it imports, relative to src/. */
  readonly local: readonly string[]
  /** Every other specifier, as written (`kysely`, `node:fs`, `yargs/build/lib/x.js`). */
  readonly external: readonly string[]
}

export function readSourceImports(srcDir: string): readonly SourceImports[] {
  return listTypeScriptFiles(srcDir).map((path) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true)
    const local: string[] = []
    const external: string[] = []
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) local.push(relative(srcDir, resolve(dirname(path), fileName.replace(/\.js$/, '.ts'))))
      else external.push(fileName)
    }
    return { file: relative(srcDir, path), local, external }
  })
}

/** The import cycles: each a list of files that reach each other (Tarjan's strongly connected components). */
export function findCycles(graph: readonly SourceImports[]): readonly (readonly string[])[] {
  const edges = new Map(graph.map((node) => [node.file, node.local]))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  let counter = 0
  const visit = (file: string): void => {
    index.set(file, counter)
    low.set(file, counter)
    counter += 1
    stack.push(file)
    onStack.add(file)
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(file, Math.min(low.get(file)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!))
      }
    }
    if (low.get(file) !== index.get(file)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component.sort())
  }
  for (const file of edges.keys()) if (!index.has(file)) visit(file)
  return cycles
}

function listTypeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return listTypeScriptFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}
