import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { OrgLevelSchema } from '../orgs/orgs.schemas.ts'

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

export const MeSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
  org: Type.Object({
    id: Type.String(),
    name: Type.String(),
    type: Type.String(),
    level: OrgLevelSchema,
    regionCode: Type.String(),
    regionName: Type.String(),
  }),
  scope: Type.Object({ regionCode: Type.String({ description: "'' for national" }), regionName: Type.String(), industry: Type.Union([Type.String(), Type.Null()]) }),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
})

export const SessionResponse = Type.Object({ user: MeSchema, csrfToken: Type.String() })

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  roles: Type.Array(Type.String()),
  active: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})

export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  orgId: Type.Optional(Type.String({ maxLength: 64 })),
  cursor: Cursor,
  limit: Limit,
})

export const UserList = Type.Object({ items: Type.Array(UserSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    orgId: Type.String({ maxLength: 64 }),
    roles: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    roles: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const ResetPasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false })

export const RoleSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  permissions: Type.Array(Type.String()),
  builtIn: Type.Boolean(),
})

export const RoleList = Type.Object({ items: Type.Array(RoleSchema), permissions: Type.Array(Type.String()) })
export const RoleParams = Type.Object({ code: Type.String({ maxLength: 64 }) })
export const SetRolePermissionsBody = Type.Object({ permissions: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 }) }, { additionalProperties: false })
