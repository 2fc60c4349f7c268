import { describe, expect, it } from 'vitest'
import { foreignKeyOrder, type TableInfo } from './catalogue.ts'

const table = (name: string, references: string[] = [], selfReferencing = false): TableInfo => ({
  name,
  columns: [{ name: 'id', type: 'uuid', generated: false, localeOrdered: false }],
  primaryKey: ['id'],
  references,
  selfReferencing,
})

describe('foreignKeyOrder', () => {
  it('puts every table after the tables it references, and is stable', () => {
    const ordered = foreignKeyOrder([
      table('user_role', ['app_user', 'role']),
      table('app_user', ['org']),
      table('org', ['region'], true),
      table('role'),
      table('region'),
      table('audit_log'),
    ])
    expect(ordered.map((t) => t.name)).toEqual(['region', 'org', 'app_user', 'audit_log', 'role', 'user_role'])
  })

  it('ignores references to tables outside the list (another schema)', () => {
    expect(foreignKeyOrder([table('a', ['elsewhere'])]).map((t) => t.name)).toEqual(['a'])
  })

  it('refuses a cycle between tables, naming it', () => {
    expect(() => foreignKeyOrder([table('a', ['b']), table('b', ['a'])])).toThrow('Foreign keys form a cycle (a → b → a)')
  })
})
