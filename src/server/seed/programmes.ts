import type { Database, Kysely } from '../db/database.ts'
import * as audit from '../modules/audit/audit.service.ts'
import { regionCodeOfPrefix } from '../modules/programmes/programmes.service.ts'
import type { ProgrammeKind } from '../modules/programmes/programmes.tables.ts'
import { type BenefitFormula, type Condition, type EligibilityRule, type Frequency, validateFormula, validateRule } from '../modules/programmes/rules.ts'

/**
 * The demo programme catalogue (domain.md §5; issue 4 §1): the programmes named by 总工发〔2016〕7号
 * §三(二)(三) and the 1996 notice (中办发 1996-10-23) §二 on the hardship fund, with amounts that are
 * plausible for a union hardship fund in 2026 — configurable data, not an official source. Amounts
 * in whole fen (yuan × 100). The policy basis names the document number and clause.
 */

const yuan = (n: number) => String(BigInt(n) * 100n)
const ON_FILE: Condition = { kind: 'status', anyOf: ['verified', 'reverifying'] }
const ACUFTU_2016 = '总工发〔2016〕7号'
const NOTICE_1996 = '中共中央办公厅、国务院办公厅《关于进一步解决部分企业职工生活困难问题的通知》（1996年10月23日）'

export interface SeedProgramme {
  code: string
  nameZh: string
  nameEn: string
  kind: ProgrammeKind
  fundType: string
  eligibility: EligibilityRule
  formula: BenefitFormula
  frequency: Frequency
  capPerHouseholdYearFen: string | null
  postingRequired: boolean
  postingDays?: number
  policyBasis: string
}

export const demoProgrammes: readonly SeedProgramme[] = [
  {
    code: 'living_subsidy_monthly',
    nameZh: '送温暖常态化生活补贴（按月）',
    nameEn: 'Regular living subsidy (monthly)',
    kind: 'living_subsidy',
    fundType: 'hardship_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'hardshipType', anyOf: ['deep', 'relative', 'accident'] }] },
    formula: { kind: 'fixedByHardshipType', amounts: { deep: yuan(500), relative: yuan(300), accident: yuan(400) } },
    frequency: 'monthly',
    capPerHouseholdYearFen: yuan(6000),
    postingRequired: true,
    policyBasis: `${ACUFTU_2016} 三（三）3：对特别需要救助帮扶的困难职工，按月或按季度定期发放生活补贴；${NOTICE_1996} 二`,
  },
  {
    code: 'living_subsidy_quarterly',
    nameZh: '送温暖常态化生活补贴（按季）',
    nameEn: 'Regular living subsidy (quarterly)',
    kind: 'living_subsidy',
    fundType: 'hardship_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'hardshipType', anyOf: ['deep', 'relative'] }] },
    formula: { kind: 'fixedByHardshipType', amounts: { deep: yuan(1500), relative: yuan(900) } },
    frequency: 'quarterly',
    capPerHouseholdYearFen: yuan(6000),
    postingRequired: true,
    policyBasis: `${ACUFTU_2016} 三（三）3：按月或按季度定期发放生活补贴，实现送温暖经常化、常态化`,
  },
  {
    code: 'spring_festival_relief',
    nameZh: '春节送温暖慰问金',
    nameEn: 'Spring Festival relief',
    kind: 'festival_relief',
    fundType: 'hardship_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'hardshipType', anyOf: ['deep', 'relative'] }] },
    formula: { kind: 'fixedByHardshipType', amounts: { deep: yuan(1000), relative: yuan(600) } },
    // one payment at each Spring Festival: one application per household and year
    frequency: 'yearly',
    capPerHouseholdYearFen: null,
    postingRequired: true,
    policyBasis: `${NOTICE_1996} 二：设立帮困资金，解决特困职工的生活困难；${ACUFTU_2016} 三（三）3`,
  },
  {
    code: 'golden_autumn_education',
    nameZh: '金秋助学',
    nameEn: 'Golden Autumn education aid',
    kind: 'education_aid',
    fundType: 'hardship_fund',
    eligibility: { allOf: [{ kind: 'status', anyOf: ['verified'] }, { kind: 'memberSchoolStage', anyOf: ['senior', 'vocational', 'college'] }] },
    formula: { kind: 'bySchoolStage', amounts: { senior: yuan(2000), vocational: yuan(2000), college: yuan(5000) } },
    frequency: 'academic_year',
    capPerHouseholdYearFen: null,
    postingRequired: true,
    policyBasis: `${ACUFTU_2016} 三（二）4：实施“金秋助学”计划，推动困难职工家庭上学子女纳入国家资助体系`,
  },
  {
    code: 'medical_mutual_aid',
    nameZh: '职工医疗互助（医疗救助）',
    nameEn: 'Medical aid / workers’ mutual medical aid',
    kind: 'medical_aid',
    fundType: 'mutual_aid_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'memberHealth', anyOf: ['chronic_illness', 'serious_illness', 'disability_1', 'disability_2'] }] },
    formula: { kind: 'shareOfCost', shareBp: 5_000, capFen: yuan(20000) },
    frequency: 'one_off',
    capPerHouseholdYearFen: yuan(20000),
    postingRequired: true,
    policyBasis: `${ACUFTU_2016} 三（二）3：针对因病致困的职工，实施“职工医疗互助”计划，提高自负医疗费用救助比例`,
  },
  {
    code: 'temporary_aid',
    nameZh: '临时救助',
    nameEn: 'Temporary aid',
    kind: 'temporary_aid',
    fundType: 'hardship_fund',
    eligibility: { allOf: [ON_FILE] },
    formula: { kind: 'fixed', amountFen: yuan(2000) },
    frequency: 'one_off',
    capPerHouseholdYearFen: yuan(6000),
    postingRequired: false,
    policyBasis: `${ACUFTU_2016} 二（三）、三（二）4：因突发事件导致生活困难的，推动纳入政府临时救助`,
  },
  {
    code: 'entrepreneurship_loan',
    nameZh: '创业援助（小额贷款贴息）',
    nameEn: 'Entrepreneurship aid (loan with interest subsidy)',
    kind: 'entrepreneurship',
    fundType: 'entrepreneurship_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'memberWorkStatus', anyOf: ['laid_off', 'unemployed'] }] },
    formula: { kind: 'loan', maxPrincipalFen: yuan(100000), interestSubsidyBp: 345, termMonths: 24 },
    frequency: 'one_off',
    capPerHouseholdYearFen: null,
    postingRequired: true,
    policyBasis: `${ACUFTU_2016} 三（二）1：实施“创业援助”计划，提供无息贷款、小额贷款贴息等扶持`,
  },
  {
    code: 'skills_training',
    nameZh: '技能培训促就业',
    nameEn: 'Skills training for employment',
    kind: 'skills_training',
    fundType: 'training_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'memberWorkStatus', anyOf: ['laid_off', 'unemployed'] }, { kind: 'batch', anyOf: ['employment'] }] },
    formula: { kind: 'fixed', amountFen: yuan(1500) },
    frequency: 'yearly',
    capPerHouseholdYearFen: yuan(3000),
    postingRequired: false,
    policyBasis: `${ACUFTU_2016} 三（二）1：加强技能培训，以就业创业解困脱困一批`,
  },
  {
    code: 'sunshine_employment',
    nameZh: '阳光就业（高校毕业生）',
    nameEn: 'Sunshine employment (graduates)',
    kind: 'graduate_employment',
    fundType: 'training_fund',
    eligibility: { allOf: [ON_FILE, { kind: 'memberSchoolStage', anyOf: ['college', 'postgraduate'] }] },
    formula: { kind: 'fixed', amountFen: yuan(1000) },
    frequency: 'yearly',
    capPerHouseholdYearFen: null,
    postingRequired: false,
    policyBasis: `${ACUFTU_2016} 三（二）1：实施“阳光就业”计划，帮助困难职工家庭高校毕业生就业`,
  },
]

/** Adds the demo catalogue (national, created by the system); idempotent by code. Every document is validated first. */
export async function seedProgrammes(db: Kysely<Database>, programmes: readonly SeedProgramme[] = demoProgrammes): Promise<{ programmes: number }> {
  for (const p of programmes) {
    const r = validateRule(p.eligibility)
    const f = validateFormula(p.formula)
    if (!r.ok || !f.ok) throw new Error(`seed programme ${p.code} is invalid: ${JSON.stringify([...(r.ok ? [] : r.errors), ...(f.ok ? [] : f.errors)])}`)
  }
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto('programme')
      .values(
        programmes.map((p) => ({
          code: p.code,
          name_zh: p.nameZh,
          name_en: p.nameEn,
          kind: p.kind,
          fund_type: p.fundType,
          eligibility: JSON.stringify(p.eligibility),
          formula: JSON.stringify(p.formula),
          frequency: p.frequency,
          cap_per_household_year_fen: p.capPerHouseholdYearFen === null ? null : BigInt(p.capPerHouseholdYearFen),
          posting_required: p.postingRequired,
          posting_days: p.postingDays ?? 7,
          policy_basis: p.policyBasis,
          region_prefix: '',
          created_by: null,
        })),
      )
      .onConflict((oc) => oc.column('code').doNothing())
      .returning(['id', 'code', 'region_prefix'])
      .execute()
    for (const r of rows) {
      await audit.record(trx, {
        actor: audit.systemActor,
        action: 'programme.create',
        entityType: 'programme',
        entityId: r.id,
        regionCode: regionCodeOfPrefix(r.region_prefix),
        after: { code: r.code, seed: 'demo' },
      })
    }
    return { programmes: rows.length }
  })
}
