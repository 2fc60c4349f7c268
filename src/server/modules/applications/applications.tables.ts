import type { ColumnType, Generated } from 'kysely'

// Applications for a programme (migration 0016).

/** approved: waiting for a posting; posted: in its posting period; objected: back in review after an objection; payable: an entitlement for the payment cycle */
export type ApplicationStatus = 'submitted' | 'returned' | 'approved' | 'posted' | 'objected' | 'payable' | 'rejected' | 'withdrawn'
export const applicationStatuses = ['submitted', 'returned', 'approved', 'posted', 'objected', 'payable', 'rejected', 'withdrawn'] as const satisfies readonly ApplicationStatus[]

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
