import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { JobSchema } from '../jobs/jobs.schemas.ts'

/** Money travels as a string of whole fen, so no amount ever passes through a float. */
const Fen = Type.String({ description: 'whole fen (分), as a decimal string' })
const Bp = Type.Integer({ description: 'basis points: 10000 = 1 × (or 100 %)' })

export const StandardSchema = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String({ description: 'the region’s own name (中原区)' }),
  effectiveFrom: Type.String({ description: 'YYYY-MM-DD, a day in China' }),
  dibaoLineFen: Type.String({ description: '低保 line, monthly per capita, whole fen' }),
  minWageFen: Type.String({ description: 'minimum wage, monthly, whole fen' }),
  deepMultipleBp: Type.Integer({ description: 'deep hardship below this multiple of the 低保 line (basis points)' }),
  relativeMultipleBp: Type.Integer({ description: 'relative hardship below this multiple of the 低保 line (basis points)' }),
  accidentRatioBp: Type.Integer({ description: 'accident-caused when the year’s hardship spending exceeds this share of income (basis points)' }),
  laidOffAllowanceFen: Type.Union([Type.String(), Type.Null()], { description: 'laid-off allowance standard, monthly, whole fen' }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  deletable: Type.Boolean({ description: 'true while the standard is not yet in force' }),
})

export const StandardList = Type.Object({ items: Type.Array(StandardSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const StandardListQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ maxLength: 12, description: 'narrow to this region’s ancestors and subtree' })),
  cursor: Cursor,
  limit: Limit,
})

export const InForceQuery = Type.Object({
  regionCode: Type.String({ maxLength: 12 }),
  on: Type.Optional(Type.String({ maxLength: 12, description: 'YYYY-MM-DD; default today in China' })),
})

export const InForceResponse = Type.Object({ standard: Type.Union([StandardSchema, Type.Null()], { description: 'null when no standard is in force there on that day' }) })

/** Loose types; the service checks every field and names each problem in both languages. */
export const CreateStandardBody = Type.Object(
  {
    regionCode: Type.String({ maxLength: 12 }),
    effectiveFrom: Type.String({ maxLength: 12, description: 'YYYY-MM-DD' }),
    dibaoLineFen: Fen,
    minWageFen: Fen,
    deepMultipleBp: Type.Optional(Bp),
    relativeMultipleBp: Type.Optional(Bp),
    accidentRatioBp: Type.Optional(Bp),
    laidOffAllowanceFen: Type.Optional(Type.Union([Fen, Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 400 }), Type.Null()])),
  },
  { additionalProperties: false },
)

export const CreateStandardResponse = Type.Object({
  standard: StandardSchema,
  job: Type.Union([JobSchema, Type.Null()], { description: 'the re-classification of the region’s households; null when the standard takes effect later' }),
})
