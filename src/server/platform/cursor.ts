import { invalid, text } from './errors.ts'
import { isUuid } from './ids.ts'

/** Keyset-pagination cursors: the sort key of the last row, opaque to the client. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export type KeyPart = 'text' | 'uuid' | 'digits' | 'instant'

const partIsValid: Record<KeyPart, (v: string) => boolean> = {
  text: () => true,
  uuid: isUuid,
  digits: (v) => /^\d{1,20}$/.test(v),
  instant: (v) => !Number.isNaN(Date.parse(v)),
}

/** The sort key a cursor carries, each part checked against its kind; a forged cursor is a validation error. */
export function decodeCursor(cursor: string | undefined, parts: readonly KeyPart[]): string[] | undefined {
  if (!cursor) return undefined
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString())
    if (
      Array.isArray(values) &&
      values.length === parts.length &&
      values.every((v, i) => typeof v === 'string' && partIsValid[parts[i]!](v))
    ) {
      return values as string[]
    }
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
