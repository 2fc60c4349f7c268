import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { measureStatuses } from './care.service.ts'
import { batches } from './codes.ts'

// Request and response schemas of a household's care: plan and measures, pairing, visits.
// Lengths here are generous ceilings; the service trims and applies the real limits with
// messages in both languages.

const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'a calendar day, YYYY-MM-DD (China)' })
const RegionCodeQuery = Type.Optional(
  Type.String({ pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6})$', description: 'a region code (6 digits) or a prefix of 2 or 4 digits; your own scope when omitted' }),
)

export const MeasureParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), measureId: Type.String({ minLength: 1, maxLength: 64 }) })

export const MeasureSchema = Type.Object({
  id: Type.String(),
  episode: Type.Integer(),
  current: Type.Boolean({ description: "of the file's current episode (only these can change)" }),
  batch: Type.Enum(batches),
  target: Type.String(),
  responsible: Type.String(),
  dueOn: Type.String(),
  status: Type.Enum(measureStatuses),
  outcome: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean({ description: 'past its due date and neither done nor cancelled' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
})

export const MeasureListSchema = Type.Object({
  episode: Type.Integer(),
  editable: Type.Boolean({ description: 'whether the plan may change now (the file is neither exited nor removed)' }),
  filedOn: Type.String({ description: 'the earliest due date allowed' }),
  items: Type.Array(MeasureSchema),
})

export const AddMeasureBody = Type.Object(
  {
    batch: Type.Enum(batches),
    target: Type.String({ maxLength: 400 }),
    responsible: Type.String({ maxLength: 100 }),
    dueOn: IsoDate,
    status: Type.Optional(Type.Enum(measureStatuses)),
    outcome: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
)

export const UpdateMeasureBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version you read; a stale one answers 409' }),
    status: Type.Enum(measureStatuses),
    outcome: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()], { description: 'omitted keeps the outcome on record; empty clears it' })),
  },
  { additionalProperties: false },
)

export const PairingSchema = Type.Object({
  helperOrgId: Type.Union([Type.String(), Type.Null()]),
  helperOrgName: Type.Union([Type.String(), Type.Null()]),
  helperPerson: Type.Union([Type.String(), Type.Null()]),
  pairedOn: Type.Union([Type.String(), Type.Null()]),
  paired: Type.Boolean(),
  editable: Type.Boolean({ description: 'whether a helper can be set now (draft, verified, reverifying)' }),
})

export const SetPairingBody = Type.Object(
  {
    helperOrgId: Type.String({ maxLength: 64 }),
    helperPerson: Type.String({ maxLength: 100 }),
    pairedOn: Type.Optional(Type.Union([IsoDate, Type.Null()], { description: 'today (China) when omitted' })),
  },
  { additionalProperties: false },
)

const CoverageFigures = {
  onFile: Type.Integer(),
  paired: Type.Integer(),
  percent: Type.Integer({ description: 'paired ÷ on file in basis points (10000 = 100 %), rounded down; 0 when none on file' }),
}

export const CoverageSchema = Type.Object({
  regionPrefix: Type.String({ description: "the region prefix covered ('' nationwide)" }),
  items: Type.Array(Type.Object({ orgId: Type.String(), orgName: Type.String(), ...CoverageFigures })),
  total: Type.Object(CoverageFigures),
})

export const RegionQuery = Type.Object({ regionCode: RegionCodeQuery })

export const VisitSchema = Type.Object({
  id: Type.String(),
  visitedOn: Type.String(),
  visitor: Type.String(),
  findings: Type.String(),
  followUp: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})

export const VisitListSchema = Type.Object({
  lastVisitOn: Type.Union([Type.String(), Type.Null()]),
  onFile: Type.Boolean(),
  dueBy: Type.Union([Type.String(), Type.Null()], { description: 'six calendar months after the last visit (or the day on file); null when not on file' }),
  overdue: Type.Boolean({ description: 'on file and not visited for six calendar months' }),
  editable: Type.Boolean(),
  items: Type.Array(VisitSchema),
})

export const AddVisitBody = Type.Object(
  {
    visitedOn: IsoDate,
    visitor: Type.String({ maxLength: 100 }),
    findings: Type.String({ maxLength: 4000 }),
    followUp: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
)

export const OverdueQuery = Type.Object({ regionCode: RegionCodeQuery, cursor: Cursor, limit: Limit })

export const OverdueListSchema = Type.Object({
  today: Type.String({ description: 'the China date the list was computed for' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      fileNo: Type.String(),
      headName: Type.String(),
      regionCode: Type.String(),
      regionName: Type.String(),
      status: Type.String(),
      lastVisitOn: Type.Union([Type.String(), Type.Null()]),
      referenceOn: Type.String({ description: 'the last visit, else the day on file' }),
      dueBy: Type.String(),
      helperPerson: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})
