import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { record, systemActor, verifyChains } from '../../src/server/modules/audit/audit.service.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await testDatabase()
  const db = database.db
  for (let i = 0; i < 5; i++) {
    await db.transaction().execute((trx) =>
      record(trx, {
        actor: systemActor,
        action: 'test.write',
        entityType: 'thing',
        entityId: `t${i}`,
        regionCode: i % 2 === 0 ? '410102' : '130102',
        before: { n: i, nested: { b: 2, a: 1 } },
        after: { n: i + 1, fen: 100n * BigInt(i) },
      }),
    )
  }
})
afterAll(async () => database?.drop())

/** Edits the log the way an intruder with database rights would: around the append-only trigger. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx)
    await statement.execute(trx)
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(trx)
  })
}

describe('audit chain', () => {
  it('keeps one chain per province and verifies them all', async () => {
    const chains = await database.db.selectFrom('audit_head').selectAll().orderBy('province_code').execute()
    expect(chains.map((c) => c.province_code)).toEqual(['13', '41'])
    const result = await verifyChains(database.db)
    expect(result).toMatchObject({ ok: true, firstBroken: null })
    expect(result.checked).toBeGreaterThanOrEqual(5)
  })

  it('refuses UPDATE and DELETE from the application', async () => {
    await expect(sql`UPDATE audit_log SET actor_name = 'x'`.execute(database.db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM audit_log`.execute(database.db)).rejects.toThrow(/append-only/)
  })

  it('names the first edited entry', async () => {
    const target = await database.db.selectFrom('audit_log').select(['seq']).where('province_code', '=', '13').where('entity_id', '=', 't1').executeTakeFirstOrThrow()
    await tamper(sql`UPDATE audit_log SET after = '{"n": 999}'::jsonb WHERE province_code = '13' AND seq = ${target.seq}`)
    expect(await verifyChains(database.db)).toMatchObject({
      ok: false,
      firstBroken: { provinceCode: '13', seq: String(target.seq), reason: 'entry content does not match its hash' },
    })
    // Restricted to another province, the chain still holds.
    expect((await verifyChains(database.db, { provinceCode: '41' })).ok).toBe(true)
  })

  it('names a removed entry', async () => {
    const rows = await database.db.selectFrom('audit_log').select('seq').where('province_code', '=', '41').orderBy('seq').execute()
    const victim = rows[1]!.seq
    await tamper(sql`DELETE FROM audit_log WHERE province_code = '41' AND seq = ${victim}`)
    expect(await verifyChains(database.db, { provinceCode: '41' })).toMatchObject({
      ok: false,
      firstBroken: { provinceCode: '41', seq: String(victim), reason: 'entry missing' },
    })
  })
})
