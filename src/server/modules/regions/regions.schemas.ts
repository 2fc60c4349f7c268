import { Type } from 'typebox'

export const RegionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  hasChildren: Type.Boolean(),
})

export const RegionListQuery = Type.Object({
  parent: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
})

export const RegionList = Type.Object({ items: Type.Array(RegionSchema) })
export const RegionDetail = Type.Intersect([RegionSchema, Type.Object({ path: Type.Array(RegionSchema) })])
export const RegionParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) })
