/**
 * PostgreSQL's rules for names: how long one may be, and when it must be quoted. The one home of
 * this knowledge; SQL that tsdb writes or compares quotes names through here or through Kysely.
 */

/** NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63

/** The length of `text` in UTF-8, as PostgreSQL counts a name's bytes. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/**
 * The key words `quote_ident` quotes: every one but the unreserved (`pg_get_keywords()` where
 * `catcode <> 'U'`), as of PostgreSQL 18, the newest tsdb supports. Older servers have a few
 * fewer; quoting one of those there is still valid SQL.
 */
export const KEYWORDS_NEEDING_QUOTES: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit ' +
    'boolean both case cast char character check coalesce collate collation column concurrently ' +
    'constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user dec decimal default deferrable desc distinct do else end except ' +
    'exists extract false fetch float for foreign freeze from full grant greatest group grouping ' +
    'having ilike in initially inner inout int integer intersect interval into is isnull join json ' +
    'json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
    'json_serialize json_table json_value lateral leading least left like limit localtime ' +
    'localtimestamp merge_action national natural nchar none normalize not notnull null nullif ' +
    'numeric offset on only or order out outer overlaps overlay placing position precision primary ' +
    'real references returning right row select session_user setof similar smallint some substring ' +
    'symmetric system_user table tablesample then time timestamp to trailing treat trim true union ' +
    'unique user using values varchar variadic verbose when where window with xmlattributes ' +
    'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize ' +
    'xmltable'
  ).split(' '),
)

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/** `"name"`, always quoted, so key words (`user`) and mixed case survive. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A name as PostgreSQL's `quote_ident` prints it: double quotes only where needed. */
export function quoteIdentifierIfNeeded(name: string): string {
  return PLAIN_IDENTIFIER.test(name) && !KEYWORDS_NEEDING_QUOTES.has(name) ? name : quoteIdentifier(name)
}
