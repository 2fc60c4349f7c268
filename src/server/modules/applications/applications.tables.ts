import type { ColumnType, Generated } from 'kysely'

// Applications for a programme (migration 0016).

export type ApplicationStatus = 'submitted' | 'returned' | 'approved' | 'rejected' | 'withdrawn'
export const applicationStatuses = ['submitted', 'returned', 'approved', 'rejected', 'withdrawn'] as const satisfies readonly ApplicationStatus[]

export interface ApplicationTable {
  province_code: string
  id: Generated<string>
  household_id: string
  programme_id: string
  programme_code: string
  period: string
  /** the request as stored: money as strings of fen */
  request: ColumnType<unknown, string, string>
  amount_fen: bigint
  /** EligibilityLine[] */
  eligibility: ColumnType<unknown, string, string>
  /** BenefitLine[] (and the cap line) */
  benefit: ColumnType<unknown, string, string>
  status: ColumnType<ApplicationStatus, ApplicationStatus | undefined, ApplicationStatus>
  approval_id: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: Generated<number>
}
