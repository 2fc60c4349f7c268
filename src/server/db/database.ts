import type { ApplicationTable } from '../modules/applications/applications.tables.ts'
import type { ApprovalActionTable, ApprovalPolicyTable, ApprovalTable } from '../modules/approvals/approvals.tables.ts'
import type { AppUserTable, RoleTable, SessionTable, UserRoleTable } from '../modules/access/access.tables.ts'
import type { AuditHeadTable, AuditLogTable } from '../modules/audit/audit.tables.ts'
import type {
  HouseholdAttachmentTable,
  HouseholdEventTable,
  HouseholdFileCounterTable,
  HouseholdMeasureTable,
  HouseholdMemberTable,
  HouseholdTable,
  HouseholdVisitTable,
  LocalStandardTable,
  PersonRegistryTable,
} from '../modules/households/households.tables.ts'
import type { ReverificationItemTable, ReverificationRunTable } from '../modules/households/reverification.tables.ts'
import type { HouseholdLoanTable, HouseholdTrainingTable, LoanRepaymentTable } from '../modules/households/loans.tables.ts'
import type { HouseholdImportProblemTable, HouseholdImportTable } from '../modules/households/import/import.tables.ts'
import type { JobTable } from '../modules/jobs/jobs.tables.ts'
import type { EntitlementTable, PostingItemTable, PostingObjectionTable, PostingTable } from '../modules/postings/postings.tables.ts'
import type { LedgerAccountTable, LedgerEntryTable, LedgerLineTable } from '../modules/funds/funds.tables.ts'
import type { PaymentCycleTable, PaymentFlagTable, PaymentLineTable } from '../modules/payments/payments.tables.ts'
import type { OrgTable } from '../modules/orgs/orgs.tables.ts'
import type { ProgrammeTable } from '../modules/programmes/programmes.tables.ts'
import type { RegionTable } from '../modules/regions/regions.tables.ts'

/** The whole schema as Kysely sees it, composed from each module's tables file. */
export interface Database {
  region: RegionTable
  org: OrgTable
  role: RoleTable
  app_user: AppUserTable
  user_role: UserRoleTable
  session: SessionTable
  audit_head: AuditHeadTable
  audit_log: AuditLogTable
  job: JobTable
  approval_policy: ApprovalPolicyTable
  approval: ApprovalTable
  approval_action: ApprovalActionTable
  household: HouseholdTable
  household_file_counter: HouseholdFileCounterTable
  household_member: HouseholdMemberTable
  person_registry: PersonRegistryTable
  local_standard: LocalStandardTable
  household_event: HouseholdEventTable
  household_measure: HouseholdMeasureTable
  household_visit: HouseholdVisitTable
  household_attachment: HouseholdAttachmentTable
  household_import: HouseholdImportTable
  household_import_problem: HouseholdImportProblemTable
  reverification_run: ReverificationRunTable
  reverification_item: ReverificationItemTable
  programme: ProgrammeTable
  household_loan: HouseholdLoanTable
  loan_repayment: LoanRepaymentTable
  household_training: HouseholdTrainingTable
  application: ApplicationTable
  posting: PostingTable
  posting_item: PostingItemTable
  posting_objection: PostingObjectionTable
  entitlement: EntitlementTable
  ledger_account: LedgerAccountTable
  ledger_entry: LedgerEntryTable
  ledger_line: LedgerLineTable
  payment_cycle: PaymentCycleTable
  payment_line: PaymentLineTable
  payment_flag: PaymentFlagTable
}

export type { Kysely, Transaction } from 'kysely'
