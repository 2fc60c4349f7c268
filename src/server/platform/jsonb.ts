import { type RawBuilder, sql } from 'kysely'

/** A value for a jsonb column: serialised once here, null stays SQL NULL (bigint must be turned to strings first). */
export function jsonb(value: unknown): RawBuilder<unknown> | null {
  return value === null || value === undefined ? null : sql`${JSON.stringify(value)}::jsonb`
}
