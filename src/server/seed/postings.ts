import type { Database, Kysely } from '../db/database.ts'
import { principalOfUsername } from '../modules/access/auth.service.ts'
import { apply } from '../modules/applications/applications.service.ts'
import * as approvals from '../modules/approvals/approvals.service.ts'
import { publish } from '../modules/postings/postings.service.ts'
import type { PiiCipher } from '../platform/pii-crypto.ts'
import { chinaDate } from '../platform/china-date.ts'

/**
 * Demo applications and postings, done through the services as the demo users would: `case_worker`
 * applies for 金秋助学 for households of its county with a student, `county_approver` and `approver`
 * approve them at the two default levels, and `county_approver` publishes most of them in one posting
 * (open for the programme's 7 days from today) and posts a few new files. Two approved applications are
 * left unposted, so there is something to publish, and at least one household of the county with a
 * student is left without an application (when the county has six or more). Returns what it made.
 */
export async function seedDemoPostings(db: Kysely<Database>, cipher: PiiCipher): Promise<{ applications: number; postings: number }> {
  const worker = await principalOfUsername(db, 'case_worker', 'seed.demo')
  const county = await principalOfUsername(db, 'county_approver', 'seed.demo')
  const city = await principalOfUsername(db, 'approver', 'seed.demo')
  const programme = await db.selectFrom('programme').select('id').where('code', '=', 'golden_autumn_education').executeTakeFirst()
  if (!programme) return { applications: 0, postings: 0 }
  const students = await db
    .selectFrom('household as h')
    .innerJoin('household_member as m', (j) => j.onRef('m.province_code', '=', 'h.province_code').onRef('m.household_id', '=', 'h.id'))
    .select(['h.id', 'm.id as member_id'])
    .where('h.region_code', 'like', `${worker.scope.regionPrefix}%`)
    .where('h.status', '=', 'verified')
    .where('m.school_stage', 'in', ['senior', 'vocational', 'college'])
    .orderBy('h.file_no')
    .execute()
  const seen = new Set<string>()
  const approved: string[] = []
  for (const s of students) {
    // At most five, so that some households with a student are left for a person to apply for.
    if (seen.has(s.id) || approved.length >= 5) continue
    seen.add(s.id)
    const a = await apply(db, worker, cipher, { householdId: s.id, programmeId: programme.id, request: { memberIds: [s.member_id] } })
    const step1 = await approvals.decide(db, county, a.approvalId!, { decision: 'approve', version: 1, opinion: '经审核，符合金秋助学条件' })
    await approvals.decide(db, city, a.approvalId!, { decision: 'approve', version: step1.version, opinion: '同意' })
    approved.push(a.id)
  }
  let postings = 0
  const year = chinaDate().slice(0, 4)
  if (approved.length > 2) {
    await publish(db, county, cipher, { kind: 'application', title: `${year}年“金秋助学”拟资助对象公示`, subjectIds: approved.slice(0, -2) })
    postings++
  }
  const files = await db
    .selectFrom('household')
    .select('id')
    .where('region_code', 'like', `${worker.scope.regionPrefix}%`)
    .where('status', '=', 'verified')
    .where('id', 'not in', [...seen, '00000000-0000-0000-0000-000000000000'])
    .orderBy('verified_at', 'desc')
    .limit(6)
    .execute()
  if (files.length > 0) {
    await publish(db, county, cipher, { kind: 'household.entry', title: `${year}年困难职工建档立卡公示`, subjectIds: files.map((f) => f.id) })
    postings++
  }
  return { applications: approved.length, postings }
}
