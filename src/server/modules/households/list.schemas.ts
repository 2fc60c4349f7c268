import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { batches, hardshipCauses, hardshipTypes, householdStatuses, targetGroups } from './codes.ts'
import { listSorts } from './list.service.ts'

/** The filters of the list and of its export. ID numbers are never a query parameter (see find-by-id-number). */
const filters = {
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'a region and everything under it (410000 province, 410100 city, 410102 county); outside your scope: an empty list' })),
  status: Type.Optional(Type.Enum(householdStatuses)),
  hardshipType: Type.Optional(Type.Enum(hardshipTypes)),
  cause: Type.Optional(Type.Enum(hardshipCauses, { description: 'primary or secondary cause' })),
  group: Type.Optional(Type.Integer({ minimum: Math.min(...targetGroups), maximum: Math.max(...targetGroups), description: 'target group 1–5' })),
  batch: Type.Optional(Type.Enum(batches)),
  helperOrgId: Type.Optional(Type.String({ maxLength: 64, description: 'the pairing (一帮一) organisation' })),
  orgId: Type.Optional(Type.String({ maxLength: 64, description: 'the organisation holding the file' })),
  name: Type.Optional(Type.String({ maxLength: 50, description: 'a prefix of any member\'s name: a surname, or a full name' })),
  fileNo: Type.Optional(Type.String({ maxLength: 18, description: 'a prefix of the file number' })),
  paired: Type.Optional(Type.Boolean({ description: 'true: with a helper organisation; false: not yet paired' })),
  sort: Type.Optional(Type.Enum(listSorts, { description: 'a leading - sorts descending; fileNo is the default' })),
}

export const HouseholdListQuerySchema = Type.Object({ ...filters, cursor: Cursor, limit: Limit }, { additionalProperties: false })
export const HouseholdExportQuerySchema = Type.Object(filters, { additionalProperties: false })

export const HouseholdListItemSchema = Type.Object({
  id: Type.String(),
  fileNo: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  headName: Type.String(),
  headIdNumber: Type.Union([Type.String({ description: "the head's ID number, masked" }), Type.Null()]),
  memberCount: Type.Integer(),
  status: Type.String(),
  hardshipType: Type.Union([Type.String(), Type.Null()]),
  perCapitaMonthlyFen: Type.Union([Type.String({ description: 'whole fen (分), as a decimal string; may be negative' }), Type.Null()]),
  targetGroups: Type.Array(Type.Integer()),
  batches: Type.Array(Type.String()),
  primaryCause: Type.Union([Type.String(), Type.Null()]),
  helperOrgId: Type.Union([Type.String(), Type.Null()]),
  helperOrgName: Type.Union([Type.String(), Type.Null()]),
  helperPerson: Type.Union([Type.String(), Type.Null()]),
  lastVisitOn: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})

export const HouseholdListSchema = Type.Object({ items: Type.Array(HouseholdListItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })
