import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { fundSources, fundTypes } from './funds.service.ts'
import { ledgerEntryKinds } from './funds.tables.ts'

// Request and response schemas of hardship funds and the ledger (issue 5 §1, §2). Money travels as
// a decimal string of whole fen; codes (fund types, sources) are closed lists. Bodies take plain
// strings where the service names the field in its own words (amount, fund type, source, dates).

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Fen = Type.String({ description: 'whole fen, as a decimal string' })
const SignedFen = Type.String({ description: 'whole fen, signed, as a decimal string' })
const Day = Type.String({ description: 'YYYY-MM-DD (China)' })
const FundType = Type.Enum(fundTypes)
const EntryKind = Type.Enum(ledgerEntryKinds, { description: 'receipt, allocation, reserve, release, payment, return (a failed payment back), reversal' })
const AccountKind = Type.Enum(['available', 'reserved', 'paid', 'receipts'] as const)

export const CodesSchema = Type.Object({
  fundTypes: Type.Array(FundType),
  sources: Type.Array(Type.Enum(fundSources)),
  entryKinds: Type.Array(EntryKind),
})

export const OverviewQuery = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 64 })),
  fundType: Type.Optional(FundType),
})

export const FundBalanceSchema = Type.Object({
  orgId: Type.String(),
  orgName: Type.String(),
  orgLevel: Type.String(),
  regionCode: Nullable(Type.String()),
  fundType: Type.String(),
  availableFen: Fen,
  reservedFen: Fen,
  paidFen: Fen,
  receivedFen: Type.Record(Type.String(), SignedFen, { description: 'received from each source (net of reversals)' }),
  receivedTotalFen: SignedFen,
})
export const OverviewSchema = Type.Object({ items: Type.Array(FundBalanceSchema) })

export const ReceiptBody = Type.Object(
  {
    orgId: Type.String({ maxLength: 64 }),
    fundType: Type.String({ maxLength: 64 }),
    source: Type.String({ maxLength: 64 }),
    amountFen: Type.String({ maxLength: 32, description: 'whole fen above zero' }),
    receivedOn: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, not in the future; today when omitted' })),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'document or bank reference number' }))),
    memo: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
)

export const AllocationBody = Type.Object(
  {
    fromOrgId: Type.String({ maxLength: 64 }),
    toOrgId: Type.String({ maxLength: 64, description: 'an organisation anywhere below the giver' }),
    fundType: Type.String({ maxLength: 64 }),
    amountFen: Type.String({ maxLength: 32, description: 'whole fen above zero' }),
    allocatedOn: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, not in the future; today when omitted' })),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    memo: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
)

export const ReverseBody = Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false })

const entryFields = {
  id: Type.String(),
  kind: EntryKind,
  orgId: Type.String(),
  orgName: Type.String(),
  fundType: Type.String(),
  amountFen: Fen,
  occurredOn: Day,
  memo: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  refKind: Nullable(Type.String({ description: 'what the entry belongs to, e.g. a payment cycle' })),
  refId: Nullable(Type.String()),
  reversesId: Nullable(Type.String({ description: 'the entry this one reverses' })),
  reversedBy: Nullable(Type.String({ description: 'the reversal of this entry, if any' })),
  createdByName: Type.String(),
  createdAt: Type.String(),
}
export const EntrySchema = Type.Object(entryFields)
export const EntryDetailSchema = Type.Object({
  ...entryFields,
  lines: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      orgId: Type.String(),
      orgName: Type.String(),
      fundType: Type.String(),
      kind: AccountKind,
      source: Type.String({ description: "a receipts account's source; '' otherwise" }),
      amountFen: SignedFen,
    }),
  ),
})
export const EntryList = Type.Object({ items: Type.Array(EntrySchema), nextCursor: Nullable(Type.String()) })
export const EntryListQuery = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 64 })),
  fundType: Type.Optional(FundType),
  kind: Type.Optional(EntryKind),
  cursor: Cursor,
  limit: Limit,
})

export const StatementQuery = Type.Object({
  orgId: Type.String({ maxLength: 64 }),
  fundType: Type.String({ maxLength: 64 }),
  kind: Type.Optional(Type.String({ maxLength: 16, description: 'available (default), reserved or paid' })),
  month: Type.Optional(Type.String({ maxLength: 7, description: 'YYYY-MM (China); this month when omitted' })),
})
export const StatementSchema = Type.Object({
  orgId: Type.String(),
  orgName: Type.String(),
  fundType: Type.String(),
  kind: AccountKind,
  from: Day,
  to: Type.String({ description: 'the first day after the period' }),
  openingFen: SignedFen,
  closingFen: SignedFen,
  lines: Type.Array(
    Type.Object({
      entryId: Type.String(),
      kind: EntryKind,
      occurredOn: Day,
      at: Type.String(),
      memo: Nullable(Type.String()),
      reference: Nullable(Type.String()),
      byName: Type.String(),
      amountFen: SignedFen,
      balanceFen: SignedFen,
    }),
  ),
  truncated: Type.Boolean({ description: 'more lines than one statement holds: narrow the period' }),
})

export const RaisedVsPaidQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'this year (China) when omitted' })) })
export const RaisedVsPaidSchema = Type.Object({
  year: Type.Integer(),
  items: Type.Array(
    Type.Object({
      fundType: FundType,
      receivedFen: Type.Record(Type.String(), SignedFen, { description: 'received this year by source (net of reversals)' }),
      receivedTotalFen: SignedFen,
      paidFen: SignedFen,
    }),
  ),
  totals: Type.Object({ receivedFen: Type.Record(Type.String(), SignedFen), receivedTotalFen: SignedFen, paidFen: SignedFen }),
})
