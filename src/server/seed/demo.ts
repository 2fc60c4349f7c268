import type { Database, Kysely, Transaction } from '../db/database.ts'
import { hashPassword } from '../modules/access/password.ts'
import * as audit from '../modules/audit/audit.service.ts'
import { pick, seededRandom } from './random.ts'

export interface DemoOptions {
  /** Password of every demo user (JIEKUN_DEMO_PASSWORD). */
  password: string
  /** The province to build, by its two-digit code; Henan by default. */
  provinceCode?: string
  /** Grassroots unions generated per county: raise it to size the data for benchmarks. */
  grassrootsPerCounty?: number
  seed?: number
}

/** One demo user per role of domain.md §1, plus a second county so scope can be seen at work. */
export const demoUsers = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], org: 'national-union' },
  { username: 'province_admin', displayName: '省总工会管理员', roles: ['admin'], org: 'province-union' },
  { username: 'case_worker', displayName: '王帮扶（中原区）', roles: ['case_worker'], org: 'county-union:1' },
  { username: 'case_worker2', displayName: '李帮扶（二七区）', roles: ['case_worker'], org: 'county-union:2' },
  { username: 'county_approver', displayName: '陈审核（中原区）', roles: ['approver'], org: 'county-union:1' },
  { username: 'approver', displayName: '赵审核（郑州市）', roles: ['approver'], org: 'city-union:1' },
  { username: 'fund_manager', displayName: '钱财务（省总工会）', roles: ['fund_manager'], org: 'province-union' },
  { username: 'centre_operator', displayName: '孙经办（再就业服务中心）', roles: ['centre_operator'], org: 'reemployment-centre:1' },
  { username: 'monitor', displayName: '周监控（省人社厅）', roles: ['monitor'], org: 'province-bureau' },
  { username: 'inspector', displayName: '吴督查（省总工会）', roles: ['inspector'], org: 'province-union' },
] as const

const enterprises = ['机械厂', '纺织厂', '煤矿', '钢铁公司', '化肥厂', '水泥厂', '棉纺厂', '汽车配件厂', '造纸厂', '食品公司', '建筑公司', '电力设备厂', '铝业公司', '耐火材料厂', '印染厂']

/** True when nobody can sign in yet: the moment demo data may be added. */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst()) === undefined
}

type OrgInsert = { parent_id: string | null; name: string; type: string; level: 'national' | 'province' | 'city' | 'county' | 'grassroots'; region_code: string | null; province_code: string; industry: string | null }

async function insertOrgs(trx: Transaction<Database>, rows: OrgInsert[]): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < rows.length; i += 500) {
    const part = await trx.insertInto('org').values(rows.slice(i, i + 500)).returning('id').execute()
    ids.push(...part.map((r) => r.id))
  }
  return ids
}

/**
 * Seeds one real province with its real cities and counties (from the region table),
 * the union and bureau tree over them, and the demo users. Deterministic from `seed`.
 */
export async function seedDemo(db: Kysely<Database>, options: DemoOptions) {
  const provinceCode = options.provinceCode ?? '41'
  const perCounty = options.grassrootsPerCounty ?? 3
  const random = seededRandom(options.seed ?? 20261123)
  const regions = await db.selectFrom('region').selectAll().where('province_code', '=', provinceCode).orderBy('code').execute()
  const province = regions.find((r) => r.level === 'province')
  if (!province) throw new Error(`No province with code ${provinceCode}`)
  const cities = regions.filter((r) => r.level === 'city')
  const counties = regions.filter((r) => r.level === 'county')
  const short = (name: string) => name.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$/, '')

  const passwordHash = await hashPassword(options.password)
  return db.transaction().execute(async (trx) => {
    const named = new Map<string, string>()
    const nat = (name: string, key: string): OrgInsert & { key: string } => ({
      key, parent_id: null, name, type: 'ministry', level: 'national', region_code: null, province_code: '00', industry: null,
    })
    const national = [nat('中华人民共和国人力资源和社会保障部', 'ministry'), nat('中华全国总工会', 'national-union')]
    const nationalIds = await insertOrgs(trx, national.map(({ key: _k, ...r }) => r))
    national.forEach((o, i) => named.set(o.key, nationalIds[i]!))

    const [bureauId, unionId] = await insertOrgs(trx, [
      { parent_id: named.get('ministry')!, name: `${province.name}人力资源和社会保障厅`, type: 'province_bureau', level: 'province', region_code: province.code, province_code: provinceCode, industry: null },
      { parent_id: named.get('national-union')!, name: `${province.name}总工会`, type: 'province_union', level: 'province', region_code: province.code, province_code: provinceCode, industry: null },
    ])
    named.set('province-bureau', bureauId!)
    named.set('province-union', unionId!)
    await insertOrgs(trx, [
      { parent_id: unionId!, name: `${province.name}总工会困难职工帮扶中心`, type: 'assistance_centre', level: 'province', region_code: province.code, province_code: provinceCode, industry: null },
    ])

    // Cities: a bureau and a union each, a hardship-assistance centre, and a re-employment centre.
    const cityRows: OrgInsert[] = cities.flatMap((c) => [
      { parent_id: bureauId!, name: `${c.name}人力资源和社会保障局`, type: 'city_bureau', level: 'city' as const, region_code: c.code, province_code: provinceCode, industry: null },
      { parent_id: unionId!, name: `${c.name}总工会`, type: 'city_union', level: 'city' as const, region_code: c.code, province_code: provinceCode, industry: null },
    ])
    const cityIds = await insertOrgs(trx, cityRows)
    const cityUnion = new Map<string, string>()
    const cityBureau = new Map<string, string>()
    cities.forEach((c, i) => {
      cityBureau.set(c.code, cityIds[i * 2]!)
      cityUnion.set(c.code, cityIds[i * 2 + 1]!)
    })
    named.set('city-union:1', cityUnion.get(cities[0]!.code)!)
    const centreRows: OrgInsert[] = cities.flatMap((c) => [
      { parent_id: cityUnion.get(c.code)!, name: `${c.name}困难职工帮扶中心`, type: 'assistance_centre', level: 'city' as const, region_code: c.code, province_code: provinceCode, industry: null },
      { parent_id: cityBureau.get(c.code)!, name: `${c.name}再就业服务中心`, type: 'reemployment_centre', level: 'city' as const, region_code: c.code, province_code: provinceCode, industry: null },
    ])
    const centreIds = await insertOrgs(trx, centreRows)
    named.set('reemployment-centre:1', centreIds[1]!)

    // Counties: under their city, or straight under the province where there is none.
    const parentCity = (countyCode: string) => `${countyCode.slice(0, 4)}00`
    const countyRows: OrgInsert[] = counties.flatMap((c) => {
      const city = parentCity(c.code)
      const cityName = cities.find((x) => x.code === city)?.name ?? ''
      return [
        { parent_id: cityUnion.get(city) ?? unionId!, name: `${short(cityName)}${c.name}总工会`, type: 'county_union', level: 'county' as const, region_code: c.code, province_code: provinceCode, industry: null },
        { parent_id: cityBureau.get(city) ?? bureauId!, name: `${short(cityName)}${c.name}人力资源和社会保障局`, type: 'county_bureau', level: 'county' as const, region_code: c.code, province_code: provinceCode, industry: null },
      ]
    })
    const countyIds = await insertOrgs(trx, countyRows)
    named.set('county-union:1', countyIds[0]!)
    named.set('county-union:2', countyIds[2]!)

    const grassroots: OrgInsert[] = []
    counties.forEach((c, i) => {
      const countyUnion = countyIds[i * 2]!
      grassroots.push({ parent_id: countyUnion, name: `${c.name}困难职工帮扶站`, type: 'assistance_station', level: 'county', region_code: c.code, province_code: provinceCode, industry: null })
      const used = new Set<string>()
      for (let k = 0; k < perCounty; k++) {
        let name = `${c.name}${pick(random, enterprises)}工会`
        while (used.has(name)) name = `${c.name}第${used.size + 1}${pick(random, enterprises)}工会`
        used.add(name)
        grassroots.push({ parent_id: countyUnion, name, type: 'grassroots_union', level: 'grassroots', region_code: c.code, province_code: provinceCode, industry: null })
      }
    })
    await insertOrgs(trx, grassroots)

    const orgCount = 2 + 3 + cityRows.length + centreRows.length + countyRows.length + grassroots.length
    for (const u of demoUsers) {
      const { id } = await trx
        .insertInto('app_user')
        .values({ username: u.username, display_name: u.displayName, password_hash: passwordHash, org_id: named.get(u.org)! })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('user_role').values(u.roles.map((role_code) => ({ user_id: id, role_code }))).execute()
    }
    const summary = { province: province.name, cities: cities.length, counties: counties.length, orgs: orgCount, users: demoUsers.length }
    await audit.record(trx, { actor: audit.systemActor, action: 'seed.demo', entityType: 'system', entityId: 'demo', regionCode: province.code, after: summary })
    return summary
  })
}
