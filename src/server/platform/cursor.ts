import { invalid, text } from './errors.ts'

/** Keyset-pagination cursors: the sort key of the last row, opaque to the client. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (!cursor) return undefined
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString())
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string')) return values as string[]
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', text('not a cursor this API issued', '分页标记无效'))
}

/** Takes `limit + 1` rows, returns `limit` of them and the cursor for the next page. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => string[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const last = rows.length > limit ? items[items.length - 1] : undefined
  return { items, nextCursor: last ? encodeCursor(keyOf(last)) : null }
}
