import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { cycleStatuses, flagKinds } from './payments.tables.ts'

// Request and response schemas of payment cycles. Money travels as a string of whole fen.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Id = Type.String({ minLength: 1, maxLength: 64 })
const Fen = Type.String({ description: 'whole fen (分), as a decimal string' })

export const CreateCycleBody = Type.Object(
  {
    orgId: Id,
    programmeId: Id,
    period: Type.String({ maxLength: 20, description: "the programme's period: '2026-11', '2026Q4', '2026', '2026/2027'" }),
  },
  { additionalProperties: false },
)

export const CycleSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  regionCode: Type.String(),
  programmeId: Type.String(),
  programmeCode: Type.String(),
  programmeNameZh: Type.String(),
  programmeNameEn: Type.String(),
  fundType: Type.String(),
  period: Type.String(),
  basis: Type.Enum(['households', 'entitlements'] as const),
  status: Type.Enum(cycleStatuses),
  lineCount: Type.Integer(),
  totalFen: Fen,
  paidCount: Type.Integer(),
  paidFen: Fen,
  failedCount: Type.Integer(),
  failedFen: Fen,
  jobId: Nullable(Type.String()),
  approvalId: Nullable(Type.String()),
  reserveEntryId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdByName: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
  scanning: Type.Boolean({ description: 'a supervision scan of the cycle is queued or running; the last approval waits for it' }),
})
export const CycleList = Type.Object({ items: Type.Array(CycleSchema), nextCursor: Nullable(Type.String()) })
export const CycleListQuery = Type.Object({ status: Type.Optional(Type.Enum(cycleStatuses)), programmeId: Type.Optional(Id), cursor: Cursor, limit: Limit })

export const LineSchema = Type.Object({
  lineNo: Type.Integer(),
  householdId: Type.String(),
  forPeriod: Type.String(),
  entitlementId: Nullable(Type.String()),
  carriedFromCycle: Nullable(Type.String()),
  regionCode: Type.String(),
  fileNo: Type.String(),
  payeeName: Type.String(),
  bankName: Nullable(Type.String()),
  bankAccountMasked: Nullable(Type.String()),
  amountFen: Fen,
  basis: Type.Unknown(),
  status: Type.Enum(['pending', 'paid', 'failed'] as const),
  failReason: Nullable(Type.String()),
  bankSerial: Nullable(Type.String()),
  settledAt: Nullable(Type.String()),
})
export const LinePage = Type.Object({ items: Type.Array(LineSchema), nextAfter: Nullable(Type.Integer()) })
export const LineQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'the last line number seen' })),
  status: Type.Optional(Type.Enum(['pending', 'paid', 'failed'] as const)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})
export const SubmitBody = Type.Object({ version: Type.Integer(), opinion: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false })

export const BankFileQuery = Type.Object({ format: Type.Optional(Type.Enum(['xlsx', 'csv'] as const)) })
const CountTotal = Type.Object({ count: Type.Integer(), totalFen: Fen })
export const ReconciliationSchema = Type.Object({
  lines: CountTotal,
  paid: CountTotal,
  failed: CountTotal,
  pending: CountTotal,
  ledger: Type.Object({ reservedFen: Fen, paidFen: Fen, returnedFen: Fen }),
  balanced: Type.Boolean(),
  problems: Type.Array(Type.String()),
})

export const FlagSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(flagKinds, { description: 'ended_household: paid after exit or removal; person_twice: one person paid in two households; over_cap: above the yearly cap; shared_account: one bank account, several households; outside_scope: funds used outside the programme\'s scope (a fund that may not pay this kind of programme, a household outside the payer\'s region, or one no longer eligible)' }),
  cycleId: Type.String(),
  period: Type.String(),
  programmeNameZh: Type.String(),
  programmeNameEn: Type.String(),
  lineNo: Type.Integer(),
  householdId: Type.String(),
  fileNo: Type.String(),
  headName: Type.String(),
  regionCode: Type.String(),
  details: Type.Unknown(),
  status: Type.Enum(['open', 'acknowledged', 'resolved'] as const),
  note: Nullable(Type.String()),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  detectedAt: Type.String(),
})
export const FlagList = Type.Object({ items: Type.Array(FlagSchema), nextCursor: Nullable(Type.String()) })
export const FlagListQuery = Type.Object({
  status: Type.Optional(Type.Enum(['open', 'acknowledged', 'resolved'] as const)),
  kind: Type.Optional(Type.Enum(flagKinds)),
  cycleId: Type.Optional(Id),
  cursor: Cursor,
  limit: Limit,
})
export const DecideFlagBody = Type.Object({ status: Type.Enum(['acknowledged', 'resolved'] as const), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false })
