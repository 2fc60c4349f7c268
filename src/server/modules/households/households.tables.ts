import type { ColumnType, Generated } from 'kysely'

export type MemberRelation = 'head' | 'spouse' | 'child' | 'parent' | 'other'
export type Sex = 'male' | 'female'

export interface HouseholdTable {
  province_code: string
  id: Generated<string>
  file_no: string
  region_code: string
  org_id: string
  address: string
  status: Generated<string>
  episode: Generated<number>
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, never, Date>
}

export interface HouseholdFileCounterTable {
  province_code: string
  region_code: string
  year: number
  last_no: number
}

export interface HouseholdMemberTable {
  province_code: string
  id: Generated<string>
  household_id: string
  name: string
  relation: MemberRelation
  id_number_sealed: string
  id_number_index: string
  /** `date`, read as a string (engine.ts) */
  birth_date: string
  sex: Sex
  phone_sealed: string | null
  phone_index: string | null
  health: string
  work_status: string
  monthly_income_fen: bigint
  created_at: ColumnType<Date, never, never>
}

export interface PersonRegistryTable {
  id_number_index: string
  household_id: string
  province_code: string
  region_code: string
  org_id: string
}
