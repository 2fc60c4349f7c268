import { type RawBuilder, type SqlBool, sql } from 'kysely'

/**
 * A staff user's data scope (domain.md §1): an administrative-division prefix
 * ('' national, '41' province, '4101' city, '410102' county) and, for central
 * enterprises, optionally an industry. Every repository filters through
 * `inScope`, so no query can return a row outside it.
 */
export interface DataScope {
  readonly regionPrefix: string
  readonly industry: string | null
}

export const nationalScope: DataScope = { regionPrefix: '', industry: null }

/** The prefix a region code stands for: 410000 → 41, 410100 → 4101, 410102 → 410102. */
export function regionPrefixOf(regionCode: string | null): string {
  if (!regionCode) return ''
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2)
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4)
  return regionCode
}

export function scopeCovers(scope: DataScope, regionCode: string | null, industry: string | null = null): boolean {
  if (scope.regionPrefix !== '' && !(regionCode ?? '').startsWith(scope.regionPrefix)) return false
  if (scope.industry !== null && industry !== scope.industry) return false
  return true
}

/**
 * The one place a scope becomes SQL. `region` names the row's region-code column
 * (COLLATE "C", indexed with text_pattern_ops so the prefix match uses the index);
 * `industry`, when the table has one, is matched for industry-scoped users.
 * Usable in `where(...)` directly and inside correlated sub-queries.
 */
export function inScope(scope: DataScope, columns: { region: string; industry?: string }): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = []
  if (scope.regionPrefix !== '') {
    parts.push(sql<SqlBool>`${sql.ref(columns.region)} LIKE ${`${scope.regionPrefix}%`}`)
  }
  if (scope.industry !== null) {
    parts.push(columns.industry ? sql<SqlBool>`${sql.ref(columns.industry)} = ${scope.industry}` : sql<SqlBool>`false`)
  }
  return parts.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`
}
