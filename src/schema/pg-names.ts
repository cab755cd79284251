/**
 * PostgreSQL's own rules for the names it gives to constraints, indexes and sequences that
 * were declared without one, so that a declared name equals the one the catalogs will hold.
 * Mirrors makeObjectName, ChooseRelationName, ChooseConstraintName, ChooseIndexNameAddition
 * and ChooseIndexColumnNames (src/backend/commands/indexcmds.c, pg_constraint.c).
 */

import { byteLength, MAX_IDENTIFIER_BYTES } from '../model/identifier.js'

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes that does not split a character (pg_mbcliplen). */
export function clipToBytes(text: string, maxBytes: number): string {
  let bytes = 0
  let end = 0
  for (const char of text) {
    const size = byteLength(char)
    if (bytes + size > maxBytes) break
    bytes += size
    end += char.length
  }
  return text.slice(0, end)
}

/** What PostgreSQL keeps of an over-long identifier (truncate_identifier). */
export function truncateIdentifier(name: string): string {
  return clipToBytes(name, MAX_IDENTIFIER_BYTES)
}

/**
 * `name1_name2_label`, shortened to fit: the longer of the two names loses bytes first, and
 * the label is never cut (makeObjectName).
 */
export function makeObjectName(name1: string, name2: string | null, label: string | null): string {
  let overhead = 0
  let name1Bytes = byteLength(name1)
  let name2Bytes = 0
  if (name2 !== null) {
    name2Bytes = byteLength(name2)
    overhead += 1
  }
  if (label !== null) overhead += byteLength(label) + 1
  const available = MAX_IDENTIFIER_BYTES - overhead
  while (name1Bytes + name2Bytes > available) {
    if (name1Bytes > name2Bytes) name1Bytes -= 1
    else name2Bytes -= 1
  }
  const parts = [clipToBytes(name1, name1Bytes)]
  if (name2 !== null) parts.push(clipToBytes(name2, name2Bytes))
  if (label !== null) parts.push(label)
  return parts.join('_')
}

/**
 * The first of `label`, `label1`, `label2`, ... whose name is not taken (the retry loop of
 * ChooseRelationName and ChooseConstraintName).
 */
export function chooseName(
  name1: string,
  name2: string | null,
  label: string,
  isTaken: (name: string) => boolean,
): string {
  for (let pass = 0; ; pass += 1) {
    const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`)
    if (!isTaken(name)) return name
  }
}

/** Column names joined by `_`, as the middle part of an index or constraint name (ChooseIndexNameAddition). */
export function nameAddition(columnNames: readonly string[]): string {
  let text = ''
  for (const name of columnNames) {
    if (text !== '') text += '_'
    text += clipToBytes(name, MAX_IDENTIFIER_BYTES)
    // PostgreSQL stops once the text is a full identifier long; makeObjectName cuts the rest.
    if (byteLength(text) >= MAX_IDENTIFIER_BYTES + 1) break
  }
  return text
}

/**
 * The per-key names an index name is built from: the column's name, or for an expression the
 * name PostgreSQL figures for it; a repeated name gets `1`, `2`, ... (ChooseIndexColumnNames).
 */
export function indexColumnNames(preliminary: readonly string[]): readonly string[] {
  const result: string[] = []
  for (const original of preliminary) {
    let current = original
    for (let i = 1; result.includes(current); i += 1) {
      const suffix = String(i)
      current = clipToBytes(original, MAX_IDENTIFIER_BYTES - suffix.length) + suffix
    }
    result.push(current)
  }
  return result
}
