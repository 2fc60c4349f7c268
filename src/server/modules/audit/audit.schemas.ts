import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  seq: Type.String(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
})

export const AuditListQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 64 })),
  entityType: Type.Optional(Type.String({ maxLength: 64 })),
  entityId: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date or date-time, inclusive' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date or date-time, exclusive' })),
  cursor: Cursor,
  limit: Limit,
})

export const AuditList = Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const VerifyResultSchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  firstBroken: Type.Union([Type.Null(), Type.Object({ provinceCode: Type.String(), seq: Type.String(), reason: Type.String() })]),
})
