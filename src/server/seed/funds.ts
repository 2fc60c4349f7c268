import type { Database, Kysely } from '../db/database.ts'
import { principalOfUsername } from '../modules/access/auth.service.ts'
import { allocate, recordReceipt } from '../modules/funds/funds.service.ts'

/**
 * Demo money, recorded through the services by `fund_manager`: the province union receives its
 * hardship fund from central and local finance and a donation, and passes part of it down to the
 * first city union and on to that city's first county union, where the demo files are. Returns the
 * number of entries.
 */
export async function seedDemoFunds(db: Kysely<Database>): Promise<{ entries: number }> {
  const fund = await principalOfUsername(db, 'fund_manager', 'seed.demo')
  const province = fund.scope.regionPrefix
  const org = async (type: string) =>
    (await db.selectFrom('org').select(['id', 'region_code']).where('type', '=', type).where('region_code', 'like', `${province}%`).orderBy('region_code').executeTakeFirst()) ?? null
  const provinceUnion = await org('province_union')
  const cityUnion = await org('city_union')
  const countyUnion = cityUnion ? await db.selectFrom('org').select('id').where('type', '=', 'county_union').where('parent_id', '=', cityUnion.id).orderBy('region_code').executeTakeFirst() : null
  if (!provinceUnion || !cityUnion || !countyUnion) return { entries: 0 }
  const receipts = [
    { source: 'central_finance', amountFen: '500000000', reference: '财社〔2026〕88号' },
    { source: 'local_finance', amountFen: '200000000', reference: '豫财社〔2026〕41号' },
    { source: 'donation', amountFen: '20000000', reference: '慈善晚会募集' },
  ]
  for (const r of receipts) await recordReceipt(db, fund, { orgId: provinceUnion.id, fundType: 'hardship_fund', ...r })
  await allocate(db, fund, { fromOrgId: provinceUnion.id, toOrgId: cityUnion.id, fundType: 'hardship_fund', amountFen: '100000000', reference: '豫工发〔2026〕12号' })
  await allocate(db, fund, { fromOrgId: cityUnion.id, toOrgId: countyUnion.id, fundType: 'hardship_fund', amountFen: '20000000', reference: '郑工发〔2026〕7号' })
  return { entries: receipts.length + 2 }
}
