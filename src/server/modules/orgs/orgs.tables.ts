import type { ColumnType, Generated } from 'kysely'

export type OrgLevel = 'national' | 'province' | 'city' | 'county' | 'grassroots'

export interface OrgTable {
  id: Generated<string>
  parent_id: string | null
  name: string
  type: string
  level: OrgLevel
  region_code: string | null
  province_code: string
  industry: string | null
  active: Generated<boolean>
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, never, Date>
}
