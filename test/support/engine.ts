/** Which engine the integration suite runs on this time: PGlite unless TEST_ENGINE=postgres. */
export type TestEngine = 'pglite' | 'postgres'

export function testEngine(): TestEngine {
  const engine = process.env.TEST_ENGINE ?? 'pglite'
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error(`TEST_ENGINE must be pglite or postgres, got ${engine}`)
  if (engine === 'postgres' && !process.env.TEST_DATABASE_URL) {
    throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL (a PostgreSQL 15+ server where the test user may CREATE DATABASE)')
  }
  return engine
}

export const TEST_PASSWORD = 'test-password-1'
export const TEMPLATE_DB = 'jiekun_test_template'

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
