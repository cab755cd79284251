/** Alembic's default `truncate_slug_length`. */
const SLUG_MAX_LENGTH = 40

/**
 * The file-name part made from a message, as Alembic makes it: the word characters joined by
 * `_`, lower case; a slug that is too long is cut at a word boundary and ends with `_`.
 */
export function slugify(message: string, maxLength: number = SLUG_MAX_LENGTH): string {
  const slug = (message.match(/[\p{L}\p{N}_]+/gu) ?? []).join('_').toLowerCase()
  if (slug.length <= maxLength) return slug
  const cut = slug.slice(0, maxLength)
  const boundary = cut.lastIndexOf('_')
  // Alembic keeps the cut text up to its last `_`; one long word is cut hard instead of overflowing.
  return boundary > 0 ? cut.slice(0, boundary + 1) : cut
}
