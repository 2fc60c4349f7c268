import type { ColumnType, Generated } from 'kysely'

export interface RoleTable {
  code: string
  name_zh: string
  name_en: string
  permissions: string[]
  built_in: Generated<boolean>
}

export interface AppUserTable {
  id: Generated<string>
  username: string
  display_name: string
  password_hash: string
  org_id: string
  locale: Generated<'zh-CN' | 'en'>
  active: Generated<boolean>
  failed_logins: Generated<number>
  locked_until: Date | null
  last_login_at: Date | null
  password_changed_at: Generated<Date>
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, never, Date>
}

export interface UserRoleTable {
  user_id: string
  role_code: string
}

export interface SessionTable {
  token_hash: string
  user_id: string
  csrf_token: string
  created_at: ColumnType<Date, never, never>
  last_seen_at: ColumnType<Date, Date | undefined, Date>
  expires_at: Date
  ip: string | null
  user_agent: string | null
}
