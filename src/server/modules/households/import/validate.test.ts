import { describe, expect, it } from 'vitest'
import { residentIdCheckChar } from '../../../platform/codes/resident-id.ts'
import { CsvParser, sniffEncoding } from './parse.ts'
import { HouseholdGrouper, mapHeader, parseYuan, readCode, type RowContext, type SheetRow, validateHousehold } from './validate.ts'

const id = (first17: string) => first17 + residentIdCheckChar(first17)
const ctx: RowContext = {
  isCounty: (c) => ['410102', '410103', '420102'].includes(c),
  scope: { regionPrefix: '4101', industry: null },
  orgRegionPrefix: '4101',
  today: new Date('2026-11-23T00:00:00Z'),
}
const head = (over: Partial<SheetRow['values']> = {}, rowNo = 2): SheetRow => ({
  rowNo,
  values: { householdKey: 'H1', regionCode: '410102', address: '中原区建设路1号', name: '张三', relation: '户主', idNumber: id('41010219800101123'), health: '健康', workStatus: '下岗', ...over },
})
const child = (over: Partial<SheetRow['values']> = {}, rowNo = 3): SheetRow => ({
  rowNo,
  values: { householdKey: 'H1', name: '张小明', relation: '子女', idNumber: id('41010220100505123'), health: '健康', workStatus: 'student', ...over },
})

describe('import rows', () => {
  it('read a valid household with labels, codes, money in yuan and the head first', () => {
    const { household, problems } = validateHousehold('H1', [child(), head({ yearlyIncome: '24,000.5', secondaryCauses: '子女上学、重特大疾病', primaryCause: '下岗失业', inDibao: '是', legacyHardshipType: '特困' }, 4)], ctx)
    expect(problems).toEqual([])
    expect(household).toMatchObject({ regionCode: '410102', yearlyIncomeFen: 2400050n, secondaryCauses: ['schooling', 'serious_illness'], primaryCause: 'laid_off', inDibao: true, legacyHardshipType: 'extreme' })
    expect(household!.members.map((m) => m.relation)).toEqual(['head', 'child'])
    expect(household!.members[1]).toMatchObject({ workStatus: 'student', sex: 'male', birthDate: '2010-05-05' })
  })

  it('name the row, the column and the reason for each problem, all at once', () => {
    const bad = validateHousehold('H1', [head({ idNumber: '410102198002301234', regionCode: '999999' }), child({ health: '很好', monthlyIncome: '12.345' })], ctx)
    expect(bad.household).toBeNull()
    expect(bad.problems.map((p) => [p.rowNo, p.column, p.code])).toEqual([
      [2, '身份证号码', 'id_number'],
      [3, '健康状况', 'code'],
      [3, '月收入', 'money'],
      [2, '县区代码', 'region'],
    ])
    expect(bad.problems[0]!.message['zh-CN']).toContain('出生日期')
  })

  it('refuse a bad checksum, a county out of scope or outside the organisation, a missing or second head', () => {
    const wrongCheck = id('41010219800101123').slice(0, 17) + (id('41010219800101123').endsWith('0') ? '1' : '0')
    expect(validateHousehold('H1', [head({ idNumber: wrongCheck })], ctx).problems[0]).toMatchObject({ code: 'id_number', column: '身份证号码' })
    expect(validateHousehold('H1', [head({ regionCode: '420102' })], ctx).problems[0]).toMatchObject({ code: 'region_scope' })
    expect(validateHousehold('H1', [head({ regionCode: '410103' })], { ...ctx, orgRegionPrefix: '410102' }).problems[0]).toMatchObject({ code: 'region_org' })
    expect(validateHousehold('H1', [child()], ctx).problems[0]).toMatchObject({ code: 'no_head', rowNo: 3 })
    expect(validateHousehold('H1', [head(), head({ idNumber: id('41010219810101123') }, 3)], ctx).problems[0]).toMatchObject({ code: 'second_head', rowNo: 3 })
  })

  it('refuse a household value on a member row that differs from the head row', () => {
    const r = validateHousehold('H1', [head(), child({ address: '别处' })], ctx)
    expect(r.problems).toMatchObject([{ rowNo: 3, column: '家庭住址', code: 'differs_from_head' }])
    expect(validateHousehold('H1', [head(), child({ address: '中原区建设路1号' })], ctx).problems).toEqual([])
  })

  it('convert 15-digit numbers and check credit codes and secondary causes', () => {
    const r = validateHousehold('H1', [head({ idNumber: '410102800101123', employerCreditCode: '91350100M000100Y43', secondaryCauses: '其他,意外事故,自然灾害,子女上学' })], ctx)
    expect(r.problems.map((p) => p.code)).toEqual(['too_many'])
    const ok = validateHousehold('H1', [head({ idNumber: '410102800101123', employerCreditCode: '91350100M000100Y43' })], ctx)
    expect(ok.household!.members[0]!.idNumber).toBe(id('41010219800101123'))
    expect(ok.household!.employerCreditCode).toBe('91350100M000100Y43')
    expect(validateHousehold('H1', [head({ employerCreditCode: '91350100M000100Y44' })], ctx).problems[0]).toMatchObject({ code: 'credit_code' })
  })

  it('map Chinese or English headers and report missing or doubled ones', () => {
    expect(mapHeader(['户编号', '县区代码', 'address', '姓名', '与户主关系', '身份证号码', '健康状况', '就业状况', '备注']).keys).toEqual([
      'householdKey', 'regionCode', 'address', 'name', 'relation', 'idNumber', 'health', 'workStatus', null,
    ])
    expect(mapHeader(['临时编号', '姓名']).problems[0]!.message['zh-CN']).toContain('县区代码')
    expect(mapHeader(['困难类型（旧）', '家庭年收入(元)']).keys).toEqual(['legacyHardshipType', 'yearlyIncome'])
  })

  it('read money, codes and yes/no strictly', () => {
    expect(parseYuan('1,234.5')).toBe(123450n)
    expect(parseYuan('0')).toBe(0n)
    expect(parseYuan('-1')).toBeNull()
    expect(parseYuan('1.234')).toBeNull()
    expect(readCode('relation', '配偶')).toBe('spouse')
    expect(readCode('relation', 'SPOUSE')).toBe('spouse')
    expect(readCode('relation', '朋友')).toBeNull()
    expect(readCode('legacyHardshipType', '临时困难')).toBe('temporary')
  })

  it('group contiguous rows and flag a household key that comes back', () => {
    const g = new HouseholdGrouper()
    const row = (key: string, rowNo: number): SheetRow => ({ rowNo, values: { householdKey: key } })
    expect(g.push(row('A', 2))).toBeNull()
    expect(g.push(row('A', 3))).toBeNull()
    expect(g.push(row('B', 4))!.rows.map((r) => r.rowNo)).toEqual([2, 3])
    expect(g.push(row('A', 5))!.key).toBe('B')
    expect(g.problems).toMatchObject([{ rowNo: 5, householdKey: 'A', code: 'not_contiguous' }])
    expect(g.finish()).toBeNull()
  })
})

describe('CSV reading', () => {
  it('parses quotes, doubled quotes, line breaks in fields and CRLF across chunks', () => {
    const p = new CsvParser()
    const text = 'a,"b,1","c ""x""\r\ny"\r\n1,2,3\n'
    const out = [...p.feed(text.slice(0, 7)), ...p.feed(text.slice(7, 15)), ...p.feed(text.slice(15), true)]
    expect(out).toEqual([['a', 'b,1', 'c "x"\r\ny'], ['1', '2', '3']])
  })

  it('tells UTF-8 (with or without BOM) from GB18030', () => {
    expect(sniffEncoding(Buffer.from('\ufeff户编号', 'utf8'))).toEqual({ encoding: 'utf-8', bomLength: 3 })
    expect(sniffEncoding(Buffer.from('户编号', 'utf8'))).toEqual({ encoding: 'utf-8', bomLength: 0 })
    expect(sniffEncoding(Buffer.from([0xbb, 0xa7, 0xb1, 0xe0, 0xba, 0xc5]))).toEqual({ encoding: 'gb18030', bomLength: 0 })
  })
})
