import { ScriptError } from '../errors.js'

export interface RevisionFileInput {
  readonly id: string
  /** The `-m` message; Alembic writes "empty message" when there is none. */
  readonly message: string
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  readonly dependsOn: readonly string[]
  readonly createDate: Date
  /** Statements of `up`, unindented, one per line. Default is a placeholder comment. */
  readonly upBody?: string | undefined
  readonly downBody?: string | undefined
  /** Extra import lines (e.g. `import { x } from './y.js'`), written after Kysely's. */
  readonly imports?: readonly string[] | undefined
  /** False adds `export const transactional = false`. Default is true. */
  readonly transactional?: boolean | undefined
  /** A multidb project's binds, in order, with their steps (`{{binds}}`). Default is none. */
  readonly binds?: readonly BindBodies[] | undefined
}

interface BindBodies {
  readonly name: string
  readonly upBody?: string | undefined
  readonly downBody?: string | undefined
}

const EMPTY_MESSAGE = 'empty message'
const EMPTY_UP = '// Write the upgrade here with Kysely: db.schema for tables, db for data.'
const EMPTY_DOWN = '// Write here what undoes up().'

/**
 * Fills the revision template. Placeholders are `{{name}}`; a multi-line value repeats the text
 * before its placeholder on every line (indentation, or ` * ` inside the header comment), and a
 * line holding only a placeholder that renders empty is dropped.
 */
export function renderRevisionFile(input: RevisionFileInput, templateText: string): string {
  if ((input.binds ?? []).length > 0 && !/\{\{\s*binds\s*\}\}/.test(templateText)) {
    // Without the placeholder the binds' steps would be left out of the file, unseen.
    throw new ScriptError(
      'the revision template (script.ts.tmpl) has no {{binds}} placeholder, and the config has binds: add a line holding ' +
        "{{binds}} after down(), as tsdb's multidb template has",
      undefined,
      { code: 'TEMPLATE_NO_BINDS' },
    )
  }
  const values = buildTemplateValues(input)
  const lines: string[] = []
  for (const line of templateText.replace(/\r\n/g, '\n').split('\n')) {
    const placeholders = [...line.matchAll(/\{\{\s*(\w+)\s*\}\}/g)]
    if (placeholders.length === 0) {
      lines.push(line)
      continue
    }
    const first = placeholders[0]
    const prefix = first === undefined ? '' : line.slice(0, first.index)
    const repeat = /^\s*(\*\s*|\/\/\s*)?$/.test(prefix) ? prefix : ''
    const rendered = line.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
      const value = values[name]
      if (value === undefined) {
        throw new ScriptError(
          `unknown placeholder {{${name}}} in the revision template (known: ${Object.keys(values).sort().join(', ')})`,
          undefined,
          { code: 'TEMPLATE_UNKNOWN_PLACEHOLDER' },
        )
      }
      return value.split('\n').join(`\n${repeat}`)
    })
    const onlyPlaceholders = line.replace(/\{\{\s*(\w+)\s*\}\}/g, '').trim() === ''
    if (onlyPlaceholders && rendered.trim() === '') continue
    lines.push(...rendered.split('\n'))
  }
  return `${lines.map((line) => line.trimEnd()).join('\n').trimEnd()}\n`
}

function buildTemplateValues(input: RevisionFileInput): Readonly<Record<string, string>> {
  const upBody = input.upBody?.trim() ? input.upBody.trimEnd() : EMPTY_UP
  const downBody = input.downBody?.trim() ? input.downBody.trimEnd() : EMPTY_DOWN
  const binds = renderBinds(input.binds ?? [])
  const code = `${upBody}\n${downBody}\n${binds}`.replace(/^\s*\/\/.*$/gm, '')
  const usesSql = /\bsql\s*[`.(<]/.test(code)
  const kyselyImport = usesSql ? "import { sql, type Kysely } from 'kysely'" : "import type { Kysely } from 'kysely'"
  const extraImports = [...new Set(input.imports ?? [])].sort()
  const message = input.message.trim() === '' ? EMPTY_MESSAGE : input.message.trim()
  return {
    message: message.replace(/\*\//g, '*\\/'),
    revision: input.id,
    revises: input.downRevisions.join(', '),
    createDate: renderCreateDate(input.createDate),
    imports: [kyselyImport, ...extraImports].join('\n'),
    revisionLiteral: renderStringLiteral(input.id),
    downRevision: renderIdList(input.downRevisions),
    branchLabels: renderIdList(input.branchLabels),
    dependsOn: renderIdList(input.dependsOn),
    transactional: input.transactional === false ? 'export const transactional = false' : '',
    upBody,
    downBody,
    binds,
  }
}

/**
 * `export const binds = { <name>: { up, down } }`: each further database's steps, which run on
 * that database as up()/down() run on the main one (Flask-Migrate's `upgrade_<name>()`).
 */
function renderBinds(binds: readonly BindBodies[]): string {
  if (binds.length === 0) return ''
  const indent = (body: string) => body.split('\n').map((line) => `      ${line}`).join('\n')
  const entries = binds.map(({ name, upBody, downBody }) =>
    [
      `  ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : renderStringLiteral(name)}: {`,
      '    async up(db: Kysely<any>): Promise<void> {',
      indent(upBody?.trim() ? upBody.trimEnd() : EMPTY_UP),
      '    },',
      '    async down(db: Kysely<any>): Promise<void> {',
      indent(downBody?.trim() ? downBody.trimEnd() : EMPTY_DOWN),
      '    },',
      '  },',
    ].join('\n'),
  )
  return ['export const binds = {', ...entries, '}'].join('\n')
}

/** Python's `str(datetime.now())`, which Alembic writes: local time, microseconds when non-zero. */
export function renderCreateDate(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const text =
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  const micros = date.getMilliseconds() * 1000
  return micros === 0 ? text : `${text}.${pad(micros, 6)}`
}

/** null for none, a string for one, an array for several: the shapes a header may hold. */
function renderIdList(ids: readonly string[]): string {
  if (ids.length === 0) return 'null'
  if (ids.length === 1) return renderStringLiteral(ids[0] ?? '')
  return `[${ids.map(renderStringLiteral).join(', ')}]`
}

function renderStringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}
