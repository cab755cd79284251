import { SchemaDeclarationError } from '../errors.js'
import { displayName, type StandaloneSequenceModel, type ViewModel } from '../model/schema-model.js'
import type { SchemaDeclaration } from './define-schema.js'
import { compileSqlFragment } from './sql-text.js'
import { checkIdentifier } from './table-to-model.js'

const INT8 = /^-?\d+$/
const SEQUENCE_TYPES: readonly string[] = ['smallint', 'integer', 'bigint']

/** A schema-level name: PostgreSQL's length limit, and no dot (Kysely and `regclass` read it as a schema). */
function checkObjectName(what: string, schema: string, name: string): string {
  const key = displayName({ schema, name })
  checkIdentifier(schema, `${what} '${key}': the schema`)
  checkIdentifier(name, `the ${what}`)
  if (name.includes('.') || schema.includes('.')) {
    throw new SchemaDeclarationError(`${what} '${key}': a name cannot contain '.'; put it in a schema with the schema option`)
  }
  return key
}

const bound = (key: string, option: string, value: number | bigint | undefined): string | null => {
  if (value === undefined) return null
  const text = String(value)
  if (!INT8.test(text)) throw new SchemaDeclarationError(`sequence '${key}': ${option} must be an integer, not ${text}`)
  return text
}

/** The declared sequences, once each; a name declared twice must mean the same sequence. */
export function collectSequences(schema: SchemaDeclaration): readonly StandaloneSequenceModel[] {
  const byKey = new Map<string, StandaloneSequenceModel>()
  for (const declared of schema.sequences) {
    const key = checkObjectName('sequence', declared.schema, declared.name)
    const { options } = declared
    if (options.as !== undefined && !SEQUENCE_TYPES.includes(options.as)) {
      throw new SchemaDeclarationError(`sequence '${key}': as must be smallint, integer or bigint, not ${String(options.as)}`)
    }
    const model: StandaloneSequenceModel = {
      schema: declared.schema,
      name: declared.name,
      type: options.as ?? 'bigint',
      start: bound(key, 'start', options.start),
      increment: bound(key, 'increment', options.increment),
      minValue: bound(key, 'minValue', options.minValue),
      maxValue: bound(key, 'maxValue', options.maxValue),
      cycle: options.cycle ?? false,
    }
    if (model.increment === '0') throw new SchemaDeclarationError(`sequence '${key}': increment cannot be 0`)
    const known = byKey.get(key)
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(model)) {
      throw new SchemaDeclarationError(`sequence '${key}' is declared twice with different options`)
    }
    byKey.set(key, model)
  }
  return [...byKey.values()]
}

/**
 * The declared views, once each. PostgreSQL says what a view reads only once it exists, so a
 * declared view depends on the declared relations its query names (as a word): enough to create
 * views that read views in an order that works.
 */
export function collectViews(schema: SchemaDeclaration, relations: readonly string[]): readonly ViewModel[] {
  const views = new Map<string, ViewModel>()
  for (const declared of schema.views) {
    const key = checkObjectName('view', declared.schema, declared.name)
    if (views.has(key)) throw new SchemaDeclarationError(`view '${key}' is declared twice`)
    if (relations.includes(key)) throw new SchemaDeclarationError(`view '${key}' has the name of a table or sequence`)
    const definition = compileSqlFragment(declared.query)
    views.set(key, { schema: declared.schema, name: declared.name, materialized: declared.materialized, definition, columns: [], dependsOn: [] })
  }
  const names = [...relations, ...views.keys()]
  return [...views.values()].map((item) => {
    const words = new Set(item.definition.match(/[\w$]+/g))
    const self = displayName(item)
    const read = names.filter((name) => name !== self && words.has(name.slice(name.indexOf('.') + 1)))
    return { ...item, dependsOn: read.map((name) => (name.includes('.') ? name : `public.${name}`)) }
  })
}
