import type { Insertable } from 'kysely'
import type { Database, Kysely, Transaction } from '../db/database.ts'
import * as audit from '../modules/audit/audit.service.ts'
import { classify, type ClassificationMember } from '../modules/households/classification.ts'
import { type HardshipCause, hardshipCauses, type Restructuring, type SocialInsuranceStatus, TYPE_SCHEME } from '../modules/households/codes.ts'
import { PII_BANK_ACCOUNT, PII_PHONE, PII_RESIDENT_ID } from '../modules/households/households.service.ts'
import type { Batch, HouseholdMeasureTable, HouseholdMemberTable, HouseholdTable, HouseholdVisitTable } from '../modules/households/households.tables.ts'
import { standardInForce } from '../modules/standards/standards.service.ts'
import { chinaDate } from '../platform/china-date.ts'
import { luhnValid } from '../platform/codes/bank-card.ts'
import { residentIdCheckChar } from '../platform/codes/resident-id.ts'
import type { PiiCipher } from '../platform/pii-crypto.ts'
import { pick, seededRandom } from './random.ts'
import { seedProgrammes } from './programmes.ts'
import { seedStandards } from './standards.ts'

/**
 * A few thousand realistic household files for the demo province (issue 3 §11): every county
 * gets some, 郑州's more; a mix of hardship types, causes, groups, statuses (draft, on file,
 * exited, removed), pairing with a gap, visits with some overdue, and plans. Written straight
 * to the tables in bulk (the service would take minutes), classified by the same pure rules as
 * the service, with the same sealing of ID and phone numbers. Deterministic from the seed.
 */
export interface DemoHouseholdOptions {
  provinceCode?: string
  /** households per county; 郑州's counties get three times as many */
  perCounty?: number
  seed?: number
}

const surnames = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭']
const given = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强海燕春花国庆金凤秀珍德胜桂芝淑珍建华文斌']
const streets = ['建设路', '人民路', '解放路', '文化路', '工人路', '棉纺路', '中原路', '嵩山路', '桐柏路', '陇海路', '伏牛路', '淮河路', '民主路', '胜利街', '光明街']
const helperNames = ['张主席', '李副主席', '王委员', '刘干事', '陈部长', '赵书记', '孙主任', '周科长']
const findings = ['家中老人慢性病需长期服药，已协助申请门诊慢特病待遇', '户主已参加技能培训，正在联系就业岗位', '子女上学费用压力大，已纳入金秋助学', '住房条件较差，已反映至社区', '家庭收入有所提高，生活基本稳定', '配偶患重病住院，已协助申请医疗互助']
const measureTargets: Record<Batch, string[]> = {
  employment: ['推荐到辖区企业就业', '参加职业技能培训并取得证书', '提供公益性岗位'],
  social_insurance: ['协助补缴养老保险', '协助办理医疗保险参保', '纳入低保'],
  medical: ['申请大病医疗互助', '协助办理慢特病门诊待遇'],
  assistance: ['发放临时救助金', '子女纳入金秋助学', '节日送温暖慰问'],
}

const DAY = 86_400_000
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY)
}

/** Seeds standards and households; returns counts. Call once, on a freshly seeded demo store. */
export async function seedDemoHouseholds(db: Kysely<Database>, cipher: PiiCipher, options: DemoHouseholdOptions = {}) {
  await seedStandards(db)
  await seedProgrammes(db)
  const provinceCode = options.provinceCode ?? '41'
  // The demo province verifies household files in one step at the city (郑州市's approver); the
  // built-in default elsewhere is a county step then a city step (approvals.service.ts).
  await db
    .insertInto('approval_policy')
    .values({ subject_kind: 'household.file', region_prefix: provinceCode, steps: JSON.stringify([{ level: 'city', permission: 'household.approve' }]), effective_from: '2020-01-01', created_by: null })
    .onConflict((oc) => oc.doNothing())
    .execute()
  const perCounty = options.perCounty ?? 12
  const random = seededRandom(options.seed ?? 3_11_2026)
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const chance = (p: number) => random() < p
  const today = chinaDate()
  const todayMs = Date.parse(`${today}T00:00:00Z`)

  // Bank accounts come from their own sequence, so adding them left every other demo figure as it was.
  const bankRandom = seededRandom((options.seed ?? 3_11_2026) + 1)
  const banks = ['中国工商银行', '中国农业银行', '中国建设银行', '中国银行', '中国邮政储蓄银行', '郑州银行']
  const bankAccount = () => {
    if (bankRandom() < 0.05) return { bank_name: null, bank_account_sealed: null, bank_account_index: null }
    const body = `6217${String(Math.floor(bankRandom() * 1e11)).padStart(11, '0')}`
    const check = [...'0123456789'].find((d) => luhnValid(body + d))!
    const account = body + check
    return { bank_name: `${pick(bankRandom, banks)}${pick(bankRandom, ['中原支行', '二七支行', '金水支行', '营业部'])}`, bank_account_sealed: cipher.encrypt(account), bank_account_index: cipher.blindIndex(PII_BANK_ACCOUNT, account) }
  }
  const counties = await db.selectFrom('region').select(['code', 'name']).where('province_code', '=', provinceCode).where('level', '=', 'county').orderBy('code').execute()
  const unions = await db
    .selectFrom('org')
    .select(['id', 'region_code', 'type'])
    .where('province_code', '=', provinceCode)
    .where('level', 'in', ['county', 'grassroots'])
    .where('type', 'in', ['county_union', 'grassroots_union'])
    .execute()
  const countyUnion = new Map(unions.filter((u) => u.type === 'county_union').map((u) => [u.region_code!, u.id]))
  const grassroots = new Map<string, string[]>()
  for (const u of unions.filter((x) => x.type === 'grassroots_union')) grassroots.set(u.region_code!, [...(grassroots.get(u.region_code!) ?? []), u.id])

  const usedIds = new Set<string>()
  const personId = (county: string, birth: string, male: boolean) => {
    for (;;) {
      const seq = String(between(0, 99)).padStart(2, '0') + String(between(0, 4) * 2 + (male ? 1 : 0))
      const first17 = `${county}${birth.replace(/-/g, '')}${seq}`
      if (usedIds.has(first17)) continue
      usedIds.add(first17)
      return first17 + residentIdCheckChar(first17)
    }
  }
  const birthOf = (minAge: number, maxAge: number) => isoDay(todayMs - (between(minAge * 365, maxAge * 365) + between(0, 364)) * DAY)
  const name = (surname?: string) => (surname ?? pick(random, surnames)) + pick(random, given) + (chance(0.6) ? pick(random, given) : '')

  let households = 0
  let members = 0
  const year = Number(today.slice(0, 4))
  for (const county of counties) {
    const orgId = countyUnion.get(county.code)
    if (!orgId) continue
    const standard = await standardInForce(db, county.code, today)
    const n = county.code.startsWith('4101') ? perCounty * 3 : perCounty
    const helpers = [orgId, ...(grassroots.get(county.code) ?? [])]

    const rows: (Insertable<HouseholdTable> & { _members: Omit<Insertable<HouseholdMemberTable>, 'province_code' | 'household_id'>[]; _visits: string[]; _measures: Batch[] })[] = []
    for (let i = 0; i < n; i++) {
      const surname = pick(random, surnames)
      const headMale = chance(0.7)
      const headBirth = birthOf(30, 58)
      const situation = random()
      const laidOff = situation < 0.35
      const ill = situation >= 0.35 && situation < 0.6
      const list: (Omit<Insertable<HouseholdMemberTable>, 'province_code' | 'household_id'> & { c: ClassificationMember })[] = []
      const addMember = (relation: 'head' | 'spouse' | 'child' | 'parent', birth: string, male: boolean, health: string, work: string, incomeYuan: number, extra: { school?: string | null; marital?: string } = {}) => {
        const id = personId(county.code, birth, male)
        const phone = relation === 'head' || (relation === 'spouse' && chance(0.5)) ? `1${pick(random, ['3', '5', '7', '8', '9'])}${String(between(0, 999_999_999)).padStart(9, '0')}` : null
        const income = BigInt(incomeYuan * 100)
        const medical = chance(0.12) ? 'none' : work === 'employed' ? 'employee' : 'resident'
        list.push({
          name: relation === 'head' || relation === 'child' ? name(surname) : name(),
          relation,
          id_number_sealed: cipher.encrypt(id),
          id_number_index: cipher.blindIndex(PII_RESIDENT_ID, id),
          birth_date: birth,
          sex: male ? 'male' : 'female',
          phone_sealed: phone ? cipher.encrypt(phone) : null,
          phone_index: phone ? cipher.blindIndex(PII_PHONE, phone) : null,
          health,
          work_status: work,
          monthly_income_fen: income,
          marital_status: extra.marital ?? null,
          school_stage: extra.school ?? null,
          medical_insurance: medical,
          model_worker: relation === 'head' && chance(0.03) ? 'city' : null,
          c: { birthDate: birth, health: health as ClassificationMember['health'], workStatus: work as ClassificationMember['workStatus'], monthlyIncomeFen: income, schoolStage: (extra.school ?? null) as ClassificationMember['schoolStage'], medicalInsurance: medical as ClassificationMember['medicalInsurance'] },
        })
      }
      const headHealth = ill ? pick(random, ['serious_illness', 'chronic_illness', 'disability_2', 'disability_3']) : 'healthy'
      const headWork = laidOff ? pick(random, ['laid_off', 'unemployed']) : ill && headHealth !== 'chronic_illness' ? 'unable_to_work' : 'employed'
      addMember('head', headBirth, headMale, headHealth, headWork, headWork === 'employed' ? between(900, 2300) : 0, { marital: chance(0.8) ? 'married' : pick(random, ['divorced', 'widowed']) })
      if (chance(0.8)) addMember('spouse', birthOf(28, 58), !headMale, chance(0.2) ? 'chronic_illness' : 'healthy', pick(random, ['employed', 'unemployed', 'laid_off']), between(0, 1500), { marital: 'married' })
      const children = between(0, 2)
      for (let k = 0; k < children; k++) {
        const birth = birthOf(4, 22)
        const age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4))
        const school = age < 6 ? 'preschool' : age < 12 ? 'primary' : age < 15 ? 'junior' : age < 18 ? 'senior' : 'college'
        addMember('child', birth, chance(0.5), 'healthy', 'student', 0, { school })
      }
      if (chance(0.2)) addMember('parent', birthOf(62, 85), chance(0.5), pick(random, ['chronic_illness', 'serious_illness', 'healthy']), 'retired', between(0, 1500))

      const monthlyWages = list.reduce((s, m) => s + Number(m.monthly_income_fen), 0)
      const yearlyIncome = BigInt(monthlyWages * 12 + between(0, 3000) * 100)
      const rigid = ill || chance(0.3) ? BigInt(between(3000, 30000) * 100) : 0n
      const hardshipSpending = ill && chance(0.3) ? yearlyIncome + BigInt(between(5000, 50000) * 100) : 0n
      const primary: HardshipCause = laidOff ? 'laid_off' : ill ? 'serious_illness' : pick(random, hardshipCauses)
      const secondary = [...new Set([pick(random, hardshipCauses), pick(random, hardshipCauses)])].filter((c) => c !== primary).slice(0, chance(0.5) ? 1 : 2)
      const restructuring: Restructuring | null = laidOff && chance(0.5) ? pick(random, ['capacity_reduction', 'merger', 'bankruptcy', 'institution_reform'] as const) : null
      const socialInsurance: SocialInsuranceStatus = pick(random, ['full', 'full', 'partial', 'none'] as const)
      const inDibao = chance(0.3)
      const migrant = chance(0.1)
      const c = classify(
        { members: list.map((m) => m.c), yearlyIncomeFen: yearlyIncome, yearlyRigidSpendingFen: rigid, yearlyHardshipSpendingFen: hardshipSpending, inDibao, migrantWorker: migrant, restructuring, socialInsurance, primaryCause: primary, secondaryCauses: secondary },
        standard,
        today,
      )

      const roll = random()
      const status = roll < 0.07 ? 'draft' : roll < 0.88 ? 'verified' : roll < 0.97 ? 'exited' : 'removed'
      const filedOn = addDays(today, -between(30, 900))
      const filedAt = new Date(`${filedOn}T02:00:00Z`)
      const verifiedAt = status === 'draft' ? null : new Date(Date.parse(`${filedOn}T02:00:00Z`) + between(3, 20) * DAY)
      const onFile = status === 'verified'
      const paired = onFile && chance(0.9)
      const visits: string[] = []
      if (onFile && verifiedAt) {
        // most visited within six months, some overdue
        const last = chance(0.82) ? addDays(today, -between(5, 170)) : addDays(today, -between(190, 400))
        if (last > isoDay(verifiedAt.getTime())) visits.push(last)
        if (chance(0.5)) {
          const earlier = addDays(last, -between(60, 200))
          if (earlier > isoDay(verifiedAt.getTime())) visits.unshift(earlier)
        }
      }
      const { c: _c, ...head } = list[0]!
      rows.push({
        province_code: provinceCode,
        file_no: '',
        region_code: county.code,
        org_id: orgId,
        address: `${county.name}${pick(random, streets)}${between(1, 300)}号${between(1, 20)}号楼${between(1, 6)}单元${between(1, 30)}0${between(1, 4)}`,
        status,
        head_name: head.name,
        hukou_type: chance(0.85) ? 'urban' : 'rural',
        housing_type: pick(random, ['owned', 'rented', 'rented', 'public_rental', 'with_relatives'] as const),
        housing_area: String(between(25, 110)),
        ...bankAccount(),
        employer_name: laidOff || headWork === 'employed' ? `${county.name}${pick(random, ['机械厂', '纺织厂', '煤矿', '化肥厂', '食品公司', '建筑公司'])}` : null,
        in_dibao: inDibao,
        migrant_worker: migrant,
        restructuring,
        social_insurance: socialInsurance,
        yearly_income_fen: yearlyIncome,
        yearly_rigid_spending_fen: rigid,
        yearly_hardship_spending_fen: hardshipSpending,
        primary_cause: primary,
        secondary_causes: secondary,
        hardship_type: c.hardshipType,
        type_scheme: TYPE_SCHEME,
        per_capita_monthly_fen: c.perCapitaMonthlyFen,
        target_groups: c.targetGroups,
        batches: c.batches,
        zero_employment: c.zeroEmployment,
        classification: JSON.stringify(c.reason),
        standard_id: standard?.id ?? null,
        classified_at: filedAt,
        helper_org_id: paired ? pick(random, helpers) : null,
        helper_person: paired ? pick(random, helperNames) : null,
        paired_on: paired && verifiedAt ? isoDay(verifiedAt.getTime()) : null,
        last_visit_on: visits.at(-1) ?? null,
        submitted_at: verifiedAt ? filedAt : null,
        verified_at: verifiedAt,
        ended_at: status === 'exited' || status === 'removed' ? new Date(todayMs - between(10, 300) * DAY) : null,
        end_reason: status === 'exited' ? pick(random, ['employment_income', 'employment_income', 'social_security', 'other']) : status === 'removed' ? 'not_eligible' : null,
        end_note: status === 'exited' ? '家庭收入已稳定超过困难认定线' : status === 'removed' ? '复核发现家庭收入超过认定标准' : null,
        created_at: filedAt,
        updated_at: verifiedAt ?? filedAt,
        _members: list.map(({ c: _x, ...m }) => m),
        _visits: visits,
        _measures: onFile ? c.batches.slice(0, between(1, 3)) : [],
      })
    }
    // File numbers in filing order, as the county's counter would have given them.
    rows.sort((a, b) => a.created_at!.getTime() - b.created_at!.getTime())
    const byYear = new Map<number, number>()
    for (const r of rows) {
      const y = r.created_at!.getUTCFullYear()
      const no = (byYear.get(y) ?? 0) + 1
      byYear.set(y, no)
      r.file_no = `${county.code}-${y}-${String(no).padStart(6, '0')}`
    }
    // In the demo county (中原区) one bank account stands on two unrelated households on file (a card lent
    // by a neighbour), so the supervision scan of a demo cycle has something to show under 资金监督.
    if (county.code === '410102') {
      const paid = rows.filter((r) => r.status === 'verified' && r.hardship_type && r.bank_account_index)
      if (paid.length >= 2) Object.assign(paid[1]!, { bank_name: paid[0]!.bank_name, bank_account_sealed: paid[0]!.bank_account_sealed, bank_account_index: paid[0]!.bank_account_index })
    }
    await db.transaction().execute(async (trx) => {
      await insertCounty(trx, rows, provinceCode, county.code, byYear, (visitDay, i) => ({ visitor: pick(random, helperNames), findings: findings[i % findings.length]! }), measureTargets, random)
    })
    households += rows.length
    members += rows.reduce((s, r) => s + r._members.length, 0)
  }
  await db.transaction().execute((trx) =>
    audit.record(trx, { actor: audit.systemActor, action: 'seed.demo_households', entityType: 'system', entityId: 'demo', regionCode: `${provinceCode}0000`, after: { households, members, year } }),
  )
  return { households, members }
}

type SeedRow = Insertable<HouseholdTable> & { _members: Omit<Insertable<HouseholdMemberTable>, 'province_code' | 'household_id'>[]; _visits: string[]; _measures: Batch[] }

async function insertCounty(
  trx: Transaction<Database>,
  rows: SeedRow[],
  provinceCode: string,
  county: string,
  byYear: Map<number, number>,
  visit: (day: string, i: number) => { visitor: string; findings: string },
  targets: Record<Batch, string[]>,
  random: () => number,
) {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200)
    const ids = await trx
      .insertInto('household')
      .values(chunk.map(({ _members, _visits, _measures, ...h }) => h))
      .returning('id')
      .execute()
    const memberRows: Insertable<HouseholdMemberTable>[] = []
    const registry: Insertable<Database['person_registry']>[] = []
    const visits: Insertable<HouseholdVisitTable>[] = []
    const measures: Insertable<HouseholdMeasureTable>[] = []
    const events: Insertable<Database['household_event']>[] = []
    chunk.forEach((h, k) => {
      const householdId = ids[k]!.id
      for (const m of h._members) {
        memberRows.push({ ...m, province_code: provinceCode, household_id: householdId })
        // only active files hold their people in the nationwide register
        if (h.status !== 'exited' && h.status !== 'removed') registry.push({ id_number_index: m.id_number_index, household_id: householdId, province_code: provinceCode, region_code: county, org_id: h.org_id })
      }
      h._visits.forEach((day, j) => visits.push({ province_code: provinceCode, household_id: householdId, visited_on: day, created_by: null, follow_up: j === h._visits.length - 1 ? '下次走访时跟进' : null, ...visit(day, k + j) }))
      h._measures.forEach((batch, j) => {
        const due = new Date(Date.now() + (Math.floor(random() * 240) - 60) * DAY).toISOString().slice(0, 10)
        measures.push({
          province_code: provinceCode,
          household_id: householdId,
          episode: 1,
          batch,
          target: targets[batch][j % targets[batch].length]!,
          responsible: h.helper_person ?? '帮扶站工作人员',
          due_on: due,
          status: random() < 0.4 ? 'done' : random() < 0.5 ? 'in_progress' : 'planned',
          created_by: null,
        })
      })
      events.push({ province_code: provinceCode, household_id: householdId, episode: 1, action: 'seed.demo', actor_id: null, actor_name: 'system', before: null, after: JSON.stringify({ status: h.status }), note: null })
    })
    await trx.insertInto('household_member').values(memberRows).execute()
    if (registry.length) await trx.insertInto('person_registry').values(registry).execute()
    if (visits.length) await trx.insertInto('household_visit').values(visits).execute()
    if (measures.length) await trx.insertInto('household_measure').values(measures).execute()
    await trx.insertInto('household_event').values(events).execute()
  }
  for (const [year, last] of byYear) {
    await trx.insertInto('household_file_counter').values({ province_code: provinceCode, region_code: county, year, last_no: last }).execute()
  }
}
