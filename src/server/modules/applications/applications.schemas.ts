import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { applicationStatuses } from './applications.tables.ts'

// Request and response schemas of programme applications. Money travels as a string of whole fen.

const Fen = Type.String({ description: 'whole fen (分), as a decimal string' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Id = Type.String({ minLength: 1, maxLength: 64 })

export const ApplicationRequest = Type.Object(
  {
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'bySchoolStage: only these members (default: every student)' })),
    outOfPocketFen: Type.Optional(Type.String({ maxLength: 20, description: 'shareOfCost: the out-of-pocket cost, whole fen' })),
    requestedFen: Type.Optional(Type.String({ maxLength: 20, description: 'loan: the principal asked for, whole fen' })),
    evidence: Type.Optional(Type.Array(Id, { maxItems: 20, description: 'evidence: ids of the household’s attachments (scans) supporting this application' })),
  },
  { additionalProperties: false },
)

export const PrecheckBody = Type.Object({ householdId: Id, programmeId: Id, request: Type.Optional(ApplicationRequest) })
export const ApplyBody = Type.Object({
  householdId: Id,
  programmeId: Id,
  request: Type.Optional(ApplicationRequest),
  opinion: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
})

const EligibilityLine = Type.Object({
  condition: Type.Unknown({ description: 'the condition of the programme’s rule (rules.ts Condition)' }),
  passed: Type.Boolean(),
  figures: Type.Record(Type.String(), Type.Unknown(), { description: 'the figures looked at; money as strings of fen' }),
})
const BenefitLine = Type.Object({ step: Type.String(), figures: Type.Record(Type.String(), Type.Unknown()) })

export const PrecheckSchema = Type.Object({
  householdId: Type.String(),
  programmeId: Type.String(),
  programmeCode: Type.String(),
  period: Type.String({ description: "the period applied for: '2026-11', '2026Q4', '2026', '2026/2027' or a day for one-off programmes" }),
  eligible: Type.Boolean(),
  eligibility: Type.Array(EligibilityLine),
  amountFen: Fen,
  interestSubsidyFen: Nullable(Fen),
  benefit: Type.Array(BenefitLine),
  cap: Type.Object({ capFen: Nullable(Fen), grantedThisYearFen: Fen, allowedFen: Nullable(Fen) }),
  withinCap: Type.Boolean(),
})

export const ApplicationSchema = Type.Object({
  id: Type.String(),
  householdId: Type.String(),
  fileNo: Type.String(),
  headName: Type.String(),
  regionCode: Type.String(),
  programmeId: Type.String(),
  programmeCode: Type.String(),
  programmeNameZh: Type.String(),
  programmeNameEn: Type.String(),
  period: Type.String(),
  request: Type.Record(Type.String(), Type.Unknown()),
  amountFen: Fen,
  eligibility: Type.Array(EligibilityLine),
  benefit: Type.Array(BenefitLine),
  status: Type.Enum(applicationStatuses),
  approvalId: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
})

export const ApplicationListQuery = Type.Object({
  householdId: Type.Optional(Id),
  programmeId: Type.Optional(Id),
  status: Type.Optional(Type.Enum(applicationStatuses)),
  cursor: Cursor,
  limit: Limit,
})

export const ApplicationList = Type.Object({ items: Type.Array(ApplicationSchema), nextCursor: Nullable(Type.String()) })
