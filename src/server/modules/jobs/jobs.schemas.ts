import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'

export const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.Enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const),
  progressDone: Type.Integer(),
  progressTotal: Type.Union([Type.Integer(), Type.Null()]),
  percent: Type.Union([Type.Integer(), Type.Null()], { description: '0–100; null while the total is unknown' }),
  result: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  cancelRequested: Type.Boolean(),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
})

export const JobListQuery = Type.Object({ cursor: Cursor, limit: Limit })
export const JobList = Type.Object({ items: Type.Array(JobSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })
