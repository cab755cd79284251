/** A standalone sequence (`CREATE SEQUENCE`), declared in `defineSchema`'s `sequences` option. */
export interface Sequence {
  readonly kind: 'sequence'
  readonly name: string
  /** The PostgreSQL schema the sequence lives in; `public` unless declared otherwise. */
  readonly schema: string
  readonly options: SequenceOptions
}

export interface SequenceOptions {
  /** Default is `public`. */
  readonly schema?: string
  /** `AS`: the sequence's type. Default is `bigint`. */
  readonly as?: 'smallint' | 'integer' | 'bigint'
  /** `START WITH`. Default is the minimum value (the maximum for a descending sequence). */
  readonly start?: number | bigint
  /** `INCREMENT BY`. Default is 1; a negative increment makes a descending sequence. */
  readonly increment?: number | bigint
  /** `MINVALUE`. Default is 1 (the type's minimum for a descending sequence). */
  readonly minValue?: number | bigint
  /** `MAXVALUE`. Default is the type's maximum (-1 for a descending sequence). */
  readonly maxValue?: number | bigint
  /** `CYCLE`: wrap around at the end instead of failing. Default is false. */
  readonly cycle?: boolean
}

/**
 * Declares a sequence. A column takes its next value with `.defaultTo(sql\`nextval('name')\`)`.
 *
 * @example
 * const invoiceNumber = sequence('invoice_number', { start: 1000 })
 * // defineSchema({ invoice: table({ number: t.bigint().defaultTo(sql`nextval('invoice_number')`) }) }, { sequences: [invoiceNumber] })
 */
export function sequence(name: string, options: SequenceOptions = {}): Sequence {
  return Object.freeze({ kind: 'sequence', name, schema: options.schema ?? 'public', options: Object.freeze({ ...options }) })
}
