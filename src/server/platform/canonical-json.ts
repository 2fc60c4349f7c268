/**
 * Deterministic JSON: object keys sorted at every depth, Dates as ISO strings,
 * bigints as decimal strings. Used for audit hashes, which must come out the same
 * after a round trip through jsonb (which reorders keys).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? 'null'
}

export function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(normalise)
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = normalise(v)
    }
    return out
  }
  return value
}
