import type { Expression } from 'kysely'
import type { ForeignKeyDeferral, IdentityKind, ReferentialAction } from '../model/schema-model.js'
import type { EnumType } from './enum-type.js'

/** How a column gets a value the insert did not give: never, unless the insert gives one, or always. */
export type GeneratedKind = 'never' | 'byDefault' | 'always'

/** Type-level facts about a column, from which `InferDatabase` derives its Kysely column type. */
export interface ColumnTypeState {
  /** What a query returns for a non-null value. */
  readonly select: unknown
  /** What an insert or update accepts for a non-null value, and what `defaultTo` accepts. */
  readonly insert: unknown
  readonly nullable: boolean
  readonly generated: GeneratedKind
}

/** The runtime facts of a column declaration: plain data that `declarationToModel` folds. */
export interface ColumnDefinition {
  /** The element type as SQL input text (`varchar(64)`, `integer`, `"mood"`), without `[]`. */
  readonly dataType: string
  readonly arrayDimensions: number
  /** Declared with `t.enum(...)`. */
  readonly enumType: EnumType | null
  /** `serial`/`bigserial`/`smallserial`: `dataType` is the integer type the sequence feeds. */
  readonly isSerial: boolean
  /** `json`/`jsonb`: a literal default is written as JSON text. */
  readonly isJson: boolean
  readonly isNotNull: boolean
  readonly isPrimaryKey: boolean
  readonly isUnique: boolean
  readonly isIndexed: boolean
  /** `{ value }` so that `defaultTo(null)` differs from no default. */
  readonly default: { readonly value: unknown } | null
  /** `'table.column'` or `'schema.table.column'`. */
  readonly references: string | null
  readonly onDelete: ReferentialAction | null
  readonly onUpdate: ReferentialAction | null
  /** The foreign key's `DEFERRABLE INITIALLY ...`, or null for `NOT DEFERRABLE`. */
  readonly deferrable: ForeignKeyDeferral | null
  /** The foreign key's `MATCH FULL`. */
  readonly isMatchFull: boolean
  readonly checks: readonly Expression<unknown>[]
  readonly identity: IdentityKind | null
  /** `START WITH` / `INCREMENT BY` of an identity, as given. */
  readonly identityStart: string | null
  readonly identityIncrement: string | null
  readonly generatedAs: Expression<unknown> | null
  readonly comment: string | null
  /** `COLLATE`, or null for the type's default collation. */
  readonly collation: string | null
  readonly renamedFrom: string | null
}

/** The state `S` with some of its facts replaced: what a modifier makes of a column. */
type With<S extends ColumnTypeState, Changes extends Partial<ColumnTypeState>> = {
  readonly [K in keyof ColumnTypeState]: K extends keyof Changes ? Changes[K] : S[K]
}
type NotNull<S extends ColumnTypeState> = With<S, { nullable: false }>
type Defaulted<S extends ColumnTypeState> = With<S, { generated: S['generated'] extends 'always' ? 'always' : 'byDefault' }>
type Identity<S extends ColumnTypeState, G extends GeneratedKind> = With<S, { nullable: false; generated: G }>
type GeneratedAlways<S extends ColumnTypeState> = With<S, { generated: 'always' }>
type ArrayOf<S extends ColumnTypeState> = With<S, { select: S['select'][]; insert: S['insert'][] }>

/**
 * One column of a table declaration. Immutable, as Kysely's builders are: every modifier
 * returns a new builder. The names follow Kysely's `ColumnDefinitionBuilder`.
 */
export class ColumnBuilder<S extends ColumnTypeState> {
  /** Type-level only: never set at runtime. */
  declare readonly '~state': S
  readonly #definition: ColumnDefinition

  constructor(definition: ColumnDefinition) {
    this.#definition = Object.freeze(definition)
  }

  /** The declaration as plain data. */
  toDefinition(): ColumnDefinition {
    return this.#definition
  }

  #with<T extends ColumnTypeState>(changes: Partial<ColumnDefinition>): ColumnBuilder<T> {
    return new ColumnBuilder<T>({ ...this.#definition, ...changes })
  }

  /** `PRIMARY KEY` (implies NOT NULL). On several columns of one table, they form one composite key. */
  primaryKey(): ColumnBuilder<NotNull<S>> {
    return this.#with({ isPrimaryKey: true })
  }

  /** `NOT NULL`. Columns are nullable otherwise, as in PostgreSQL. */
  notNull(): ColumnBuilder<NotNull<S>> {
    return this.#with({ isNotNull: true })
  }

  /** A `UNIQUE` constraint `<table>_<column>_key`, or with `.index()` a unique index instead. */
  unique(): ColumnBuilder<S> {
    return this.#with({ isUnique: true })
  }

  /** An index `ix_<table>_<column>` (unique when the column is `.unique()`), as Flask-SQLAlchemy's `index=True`. */
  index(): ColumnBuilder<S> {
    return this.#with({ isIndexed: true })
  }

  /** `DEFAULT`: a literal value (quoted for you) or a `sql` fragment such as sql`now()`. */
  defaultTo(value: S['insert'] | null | Expression<unknown>): ColumnBuilder<Defaulted<S>> {
    return this.#with({ default: { value } })
  }

  /** `REFERENCES`: `'table.column'`, or `'schema.table.column'` for a table in another schema. */
  references(target: string): ColumnBuilder<S> {
    return this.#with({ references: target })
  }

  /** The foreign key's `ON DELETE` action; default is `no action`. */
  onDelete(action: ReferentialAction): ColumnBuilder<S> {
    return this.#with({ onDelete: action })
  }

  /** The foreign key's `ON UPDATE` action; default is `no action`. */
  onUpdate(action: ReferentialAction): ColumnBuilder<S> {
    return this.#with({ onUpdate: action })
  }

  /** The foreign key is `DEFERRABLE` (`INITIALLY IMMEDIATE`): `SET CONSTRAINTS ... DEFERRED` can postpone its check to commit. */
  deferrable(): ColumnBuilder<S> {
    return this.#with({ deferrable: this.#definition.deferrable ?? 'initiallyImmediate' })
  }

  /** The foreign key is `DEFERRABLE INITIALLY DEFERRED`: checked at commit. */
  initiallyDeferred(): ColumnBuilder<S> {
    return this.#with({ deferrable: 'initiallyDeferred' })
  }

  /** The foreign key is `MATCH FULL`: a multi-column key is all null or all set. Default is `MATCH SIMPLE`. */
  matchFull(): ColumnBuilder<S> {
    return this.#with({ isMatchFull: true })
  }

  /** A `CHECK` constraint; may be given more than once. */
  check(expression: Expression<unknown>): ColumnBuilder<S> {
    return this.#with({ checks: [...this.#definition.checks, expression] })
  }

  /**
   * `GENERATED ALWAYS AS IDENTITY [(START WITH s INCREMENT BY i)]` (implies NOT NULL; inserts
   * cannot give a value).
   */
  generatedAlwaysAsIdentity(options: IdentitySequenceOptions = {}): ColumnBuilder<Identity<S, 'always'>> {
    return this.#with({ identity: 'always', ...identityFacts(options) })
  }

  /** `GENERATED BY DEFAULT AS IDENTITY [(START WITH s INCREMENT BY i)]` (implies NOT NULL; inserts may give a value). */
  generatedByDefaultAsIdentity(options: IdentitySequenceOptions = {}): ColumnBuilder<Identity<S, 'byDefault'>> {
    return this.#with({ identity: 'byDefault', ...identityFacts(options) })
  }

  /** `GENERATED ALWAYS AS (expression) STORED`. */
  generatedAlwaysAs(expression: Expression<unknown>): ColumnBuilder<GeneratedAlways<S>> {
    return this.#with({ generatedAs: expression })
  }

  /** `COLLATE "name"`: the collation, as PostgreSQL names it (`C`, `und-x-icu`). Default is the type's. */
  collate(name: string): ColumnBuilder<S> {
    return this.#with({ collation: name })
  }

  /** `COMMENT ON COLUMN`. */
  comment(text: string): ColumnBuilder<S> {
    return this.#with({ comment: text })
  }

  /** The column's previous name: autogenerate renames it instead of dropping and adding. */
  renamedFrom(previousName: string): ColumnBuilder<S> {
    return this.#with({ renamedFrom: previousName })
  }

  /** An array of this type (`text[]`); call it again for more dimensions. */
  array(): ColumnBuilder<ArrayOf<S>> {
    return this.#with({ arrayDimensions: this.#definition.arrayDimensions + 1 })
  }
}

/** Any column builder, whatever its type-level state. */
export type AnyColumnBuilder = ColumnBuilder<ColumnTypeState>

/** A fresh column of the given type, with no modifier applied. */
export function columnOfType<S extends ColumnTypeState>(
  dataType: string,
  facts: Partial<Pick<ColumnDefinition, 'enumType' | 'isSerial' | 'isJson'>> = {},
): ColumnBuilder<S> {
  return new ColumnBuilder<S>({
    dataType,
    arrayDimensions: 0,
    enumType: facts.enumType ?? null,
    isSerial: facts.isSerial ?? false,
    isJson: facts.isJson ?? false,
    isNotNull: false,
    isPrimaryKey: false,
    isUnique: false,
    isIndexed: false,
    default: null,
    references: null,
    onDelete: null,
    onUpdate: null,
    deferrable: null,
    isMatchFull: false,
    checks: [],
    identity: null,
    identityStart: null,
    identityIncrement: null,
    generatedAs: null,
    comment: null,
    collation: null,
    renamedFrom: null,
  })
}

/** The first value and the step of an identity's sequence (PostgreSQL's defaults: 1 and 1). */
export interface IdentitySequenceOptions {
  readonly start?: number | bigint
  readonly increment?: number | bigint
}

const identityFacts = (options: IdentitySequenceOptions) => ({
  identityStart: options.start === undefined ? null : String(options.start),
  identityIncrement: options.increment === undefined ? null : String(options.increment),
})
