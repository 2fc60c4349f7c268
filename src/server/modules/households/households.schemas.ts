import { Type } from 'typebox'
import { healthStatuses, memberRelations, workStatuses } from './households.service.ts'

/** Money travels as a string of whole fen, so no amount ever passes through a float. */
const Fen = Type.String({ pattern: '^[0-9]{1,15}$', description: 'whole fen (分), as a decimal string' })

export const MemberInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    relation: Type.Enum(memberRelations),
    idNumber: Type.String({ minLength: 1, maxLength: 40, description: '18-digit resident ID (15-digit legacy numbers are converted)' }),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    health: Type.Enum(healthStatuses),
    workStatus: Type.Enum(workStatuses),
    monthlyIncomeFen: Fen,
  },
  { additionalProperties: false },
)

export const FileHouseholdBody = Type.Object(
  {
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    orgId: Type.String({ maxLength: 64 }),
    address: Type.String({ minLength: 1, maxLength: 200 }),
    members: Type.Array(MemberInputSchema, { minItems: 1, maxItems: 30 }),
  },
  { additionalProperties: false },
)

export const MemberSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  relation: Type.String(),
  idNumber: Type.String({ description: 'masked unless the household was read in full view' }),
  phone: Type.Union([Type.String(), Type.Null()]),
  birthDate: Type.String(),
  sex: Type.String(),
  health: Type.String(),
  workStatus: Type.String(),
  monthlyIncomeFen: Fen,
})

export const HouseholdSchema = Type.Object({
  id: Type.String(),
  fileNo: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  orgId: Type.String(),
  address: Type.String(),
  status: Type.String(),
  episode: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  fullView: Type.Boolean({ description: 'true when ID and phone numbers are shown in full (audited)' }),
  members: Type.Array(MemberSchema),
})

export const HouseholdQuery = Type.Object({
  full: Type.Optional(Type.Boolean({ description: 'show ID and phone numbers in full (needs pii.view; audited)' })),
})

/** The ID number goes in the body, never the URL, so it stays out of access logs. */
export const FindByIdNumberBody = Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false })
