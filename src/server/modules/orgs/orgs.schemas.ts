import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { type OrgType, orgTypes } from './org-types.ts'

export const OrgLevelSchema = Type.Enum(['national', 'province', 'city', 'county', 'grassroots'] as const)
export const OrgTypeSchema = Type.Enum(Object.keys(orgTypes) as OrgType[])

export const OrgSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  level: OrgLevelSchema,
  regionCode: Type.String({ description: "'' for national bodies" }),
  regionName: Type.String(),
  industry: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()], { description: 'null when the parent is outside your scope' }),
  parentName: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  childCount: Type.Integer(),
})

export const OrgListQuery = Type.Object({
  parentId: Type.Optional(Type.String({ maxLength: 64 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  cursor: Cursor,
  limit: Limit,
})

export const OrgList = Type.Object({ items: Type.Array(OrgSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const CreateOrgBody = Type.Object(
  {
    parentId: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: OrgTypeSchema,
    regionCode: Type.String({ pattern: '^([0-9]{6})?$', description: "GB/T 2260 code; '' only for a national body" }),
    industry: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
)

export const UpdateOrgBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    industry: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
