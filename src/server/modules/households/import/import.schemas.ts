import { Type } from 'typebox'
import { Cursor, Limit } from '../../../platform/http-schemas.ts'
import { JobSchema } from '../../jobs/jobs.schemas.ts'

export const CommitBody = Type.Object(
  { mode: Type.Union([Type.Literal('valid-only'), Type.Literal('all-or-nothing')]) },
  { additionalProperties: false },
)

export const ProblemQuery = Type.Object({ cursor: Cursor, limit: Limit })

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const ImportProblemSchema = Type.Object({
  seq: Type.Integer(),
  phase: Type.Union([Type.Literal('validate'), Type.Literal('commit')]),
  rowNo: Type.Integer({ description: 'as the spreadsheet numbers it: the header is row 1; 0 for the file as a whole' }),
  householdKey: Nullable(Type.String()),
  column: Nullable(Type.String({ description: "the column's template header" })),
  code: Type.String(),
  message: Type.String({ description: 'in the caller’s language' }),
  messageZh: Type.String(),
  messageEn: Type.String(),
  dupRowNo: Type.Union([Type.Integer(), Type.Null()]),
  dupRegionCode: Nullable(Type.String()),
})

export const ImportProblemList = Type.Object({ items: Type.Array(ImportProblemSchema), nextCursor: Nullable(Type.String()) })

const Counts = Type.Object({
  rows: Type.Integer(),
  households: Type.Integer(),
  validHouseholds: Type.Integer(),
  validRows: Type.Integer(),
  problems: Type.Integer(),
  problemRows: Type.Integer(),
  duplicates: Type.Integer(),
  committedHouseholds: Type.Integer(),
  committedMembers: Type.Integer(),
  skippedHouseholds: Type.Integer(),
})

const SampleHousehold = Type.Object({
  key: Type.String(),
  regionCode: Type.String(),
  address: Type.String(),
  members: Type.Array(Type.Object({ name: Type.String(), relation: Type.String(), idNumber: Type.String(), phone: Nullable(Type.String()) })),
})

export const ImportSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  fileName: Type.String(),
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  sizeBytes: Type.Integer(),
  status: Type.Union([
    Type.Literal('uploaded'), Type.Literal('validating'), Type.Literal('validated'), Type.Literal('committing'),
    Type.Literal('committed'), Type.Literal('failed'), Type.Literal('discarded'),
  ]),
  mode: Type.Union([Type.Literal('valid-only'), Type.Literal('all-or-nothing'), Type.Null()]),
  counts: Counts,
  failure: Nullable(Type.String()),
  validateJob: Type.Union([JobSchema, Type.Null()]),
  commitJob: Type.Union([JobSchema, Type.Null()]),
  problems: Type.Array(ImportProblemSchema),
  sample: Type.Array(SampleHousehold),
  createdAt: Type.String(),
  validatedAt: Nullable(Type.String()),
  committedAt: Nullable(Type.String()),
})
