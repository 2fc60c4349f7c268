import { parseCreditCode } from '../../../platform/codes/credit-code.ts'
import { parsePhone } from '../../../platform/codes/phone.ts'
import { parseResidentId } from '../../../platform/codes/resident-id.ts'
import { text, type Text } from '../../../platform/errors.ts'
import { type DataScope, scopeCovers } from '../../../platform/scope.ts'
import {
  hardshipCauses,
  type HouseholdFacts,
  healthStatuses,
  housingTypes,
  hukouTypes,
  maritalStatuses,
  type MemberFacts,
  medicalInsurances,
  memberRelations,
  modelWorkerTypes,
  restructurings,
  schoolStages,
  socialInsuranceStatuses,
  workStatuses,
} from '../codes.ts'
import type { MemberRelation, Sex } from '../households.tables.ts'

// The rules of one import file, pure: what the columns are called, which labels each code
// column accepts, and what makes a household's rows valid. The stateful checks (the same ID
// twice in the file, a person already on file in the registry) live in import.service.ts.
//
// Layout: one row per MEMBER. Rows of one household share 户编号 (the file's own key, e.g.
// H001) and stand together, one block per household. Household columns are read from the
// head's row (与户主关系 = 户主); other rows may leave them blank, and a value given there
// that differs from the head's is a problem (a file that says two things is not guessed at).

/** A code list with its Chinese labels; a cell may hold the label, an alias or the code itself. */
interface CodeList {
  codes: readonly string[]
  labels: Readonly<Record<string, string>>
  aliases?: Readonly<Record<string, string>>
}

const list = (codes: readonly string[], labels: Record<string, string>, aliases: Record<string, string> = {}): CodeList => ({ codes, labels, aliases })

export const codeLists = {
  relation: list(memberRelations, { head: '户主', spouse: '配偶', child: '子女', parent: '父母', other: '其他' }, {
    本人: 'head', 妻: 'spouse', 夫: 'spouse', 妻子: 'spouse', 丈夫: 'spouse', 儿子: 'child', 女儿: 'child', 子: 'child', 女: 'child', 父亲: 'parent', 母亲: 'parent',
  }),
  health: list(healthStatuses, {
    healthy: '健康', chronic_illness: '慢性病', serious_illness: '重大疾病', disability_1: '一级残疾', disability_2: '二级残疾', disability_3: '三级残疾', disability_4: '四级残疾',
  }, { 残疾一级: 'disability_1', 残疾二级: 'disability_2', 残疾三级: 'disability_3', 残疾四级: 'disability_4', 大病: 'serious_illness' }),
  workStatus: list(workStatuses, { employed: '在岗', laid_off: '下岗', unemployed: '失业', retired: '退休', student: '在校学生', unable_to_work: '无劳动能力' }, {
    就业: 'employed', 学生: 'student', 下岗失业: 'laid_off',
  }),
  maritalStatus: list(maritalStatuses, { single: '未婚', married: '已婚', divorced: '离异', widowed: '丧偶' }, { 离婚: 'divorced' }),
  schoolStage: list(schoolStages, { preschool: '学前', primary: '小学', junior: '初中', senior: '高中', vocational: '中职', college: '大学', postgraduate: '研究生' }, {
    幼儿园: 'preschool', 中专: 'vocational', 职高: 'vocational', 大专: 'college', 本科: 'college', 高职: 'college',
  }),
  medicalInsurance: list(medicalInsurances, { employee: '职工医保', resident: '居民医保', none: '未参保' }),
  modelWorker: list(modelWorkerTypes, { national: '全国劳模', provincial: '省级劳模', city: '市级劳模', industry: '行业劳模' }),
  hukouType: list(hukouTypes, { urban: '城镇', rural: '农村' }, { 城镇户口: 'urban', 非农业: 'urban', 非农业户口: 'urban', 农村户口: 'rural', 农业: 'rural', 农业户口: 'rural' }),
  housingType: list(housingTypes, { owned: '自有住房', rented: '租房', public_rental: '公租房', with_relatives: '借住亲友', other: '其他' }, {
    自有: 'owned', 租赁: 'rented', 廉租房: 'public_rental', 借住: 'with_relatives',
  }),
  socialInsurance: list(socialInsuranceStatuses, { full: '足额参保', partial: '部分参保', none: '未参保' }, { 已参保: 'full' }),
  restructuring: list(restructurings, { capacity_reduction: '化解过剩产能', merger: '兼并重组', bankruptcy: '破产', institution_reform: '事业单位改革' }, {
    去产能: 'capacity_reduction',
  }),
  cause: list(hardshipCauses, {
    no_work_capacity: '无劳动能力', jobless_able: '有劳动能力未就业', laid_off: '下岗失业', uninsured: '未参加社保', benefits_missing: '社保待遇不到位',
    serious_illness: '重特大疾病', natural_disaster: '自然灾害', accident: '意外事故', schooling: '子女上学', other: '其他',
  }),
  /** An older scheme of hardship types (全总 2002 建档): 特困, 困难, 临时困难 — kept with its scheme, reclassified later. */
  legacyHardshipType: list(['extreme', 'hardship', 'temporary'], { extreme: '特困', hardship: '困难', temporary: '临时困难' }, { 特困职工: 'extreme', 困难职工: 'hardship' }),
} as const satisfies Record<string, CodeList>

export const LEGACY_TYPE_SCHEME = 'acftu2002'

export type CodeListName = keyof typeof codeLists

/** Reads a code cell: the Chinese label, an alias, or the code (any case). null when nothing matches. */
export function readCode(name: CodeListName, cell: string): string | null {
  const l: CodeList = codeLists[name]
  const v = cell.trim()
  const byLabel = Object.entries(l.labels).find(([, label]) => label === v)
  if (byLabel) return byLabel[0]
  if (l.aliases?.[v]) return l.aliases[v]!
  const lower = v.toLowerCase()
  return l.codes.includes(lower) ? lower : null
}

export interface ColumnDef {
  key: ColumnKey
  /** the template's header (zh) */
  header: string
  en: string
  level: 'household' | 'member'
  required: boolean
  codes?: CodeListName
  /** one line of guidance for the instructions sheet */
  note: string
}

export const columnKeys = [
  'householdKey', 'regionCode', 'address', 'hukouType', 'housingType', 'housingArea', 'employerCreditCode', 'employerName', 'inDibao', 'migrantWorker',
  'restructuring', 'socialInsurance', 'yearlyIncome', 'yearlyRigidSpending', 'yearlyHardshipSpending', 'primaryCause', 'secondaryCauses', 'legacyHardshipType',
  'name', 'relation', 'idNumber', 'phone', 'health', 'workStatus', 'monthlyIncome', 'maritalStatus', 'schoolStage', 'medicalInsurance', 'modelWorker',
] as const
export type ColumnKey = (typeof columnKeys)[number]

const H = 'household' as const
const M = 'member' as const
export const columns: readonly ColumnDef[] = [
  { key: 'householdKey', header: '户编号', en: 'Household key', level: H, required: true, note: '本文件内的户编号（如 H001），同一户的成员行填写相同编号并相邻排列' },
  { key: 'regionCode', header: '县区代码', en: 'County code', level: H, required: true, note: '6位县级行政区划代码（GB/T 2260），如 410102' },
  { key: 'address', header: '家庭住址', en: 'Address', level: H, required: true, note: '不超过200字' },
  { key: 'hukouType', header: '户口类型', en: 'Hukou type', level: H, required: false, codes: 'hukouType', note: '' },
  { key: 'housingType', header: '住房类型', en: 'Housing type', level: H, required: false, codes: 'housingType', note: '' },
  { key: 'housingArea', header: '住房面积', en: 'Housing area', level: H, required: false, note: '平方米，最多1位小数' },
  { key: 'employerCreditCode', header: '工作单位统一社会信用代码', en: 'Employer credit code', level: H, required: false, note: '18位统一社会信用代码' },
  { key: 'employerName', header: '工作单位名称', en: 'Employer name', level: H, required: false, note: '' },
  { key: 'inDibao', header: '是否享受低保', en: 'In dibao', level: H, required: false, note: '是 / 否，不填视为否' },
  { key: 'migrantWorker', header: '是否农民工', en: 'Migrant worker', level: H, required: false, note: '是 / 否，不填视为否' },
  { key: 'restructuring', header: '改制致困类型', en: 'Restructuring', level: H, required: false, codes: 'restructuring', note: '' },
  { key: 'socialInsurance', header: '社会保险', en: 'Social insurance', level: H, required: false, codes: 'socialInsurance', note: '' },
  { key: 'yearlyIncome', header: '家庭年收入', en: 'Yearly income', level: H, required: false, note: '元，最多2位小数' },
  { key: 'yearlyRigidSpending', header: '年刚性支出', en: 'Yearly rigid spending', level: H, required: false, note: '元，最多2位小数' },
  { key: 'yearlyHardshipSpending', header: '年致困支出', en: 'Yearly hardship spending', level: H, required: false, note: '元，最多2位小数（大病、灾害、事故等）' },
  { key: 'primaryCause', header: '主要致困原因', en: 'Primary cause', level: H, required: false, codes: 'cause', note: '' },
  { key: 'secondaryCauses', header: '次要致困原因', en: 'Secondary causes', level: H, required: false, codes: 'cause', note: '最多3项，用“、”或逗号分隔' },
  { key: 'legacyHardshipType', header: '困难类型(旧)', en: 'Legacy hardship type', level: H, required: false, codes: 'legacyHardshipType', note: '旧档案的困难类型（全总2002年口径），导入后由系统按现行标准重新认定' },
  { key: 'name', header: '姓名', en: 'Name', level: M, required: true, note: '不超过50字' },
  { key: 'relation', header: '与户主关系', en: 'Relation', level: M, required: true, codes: 'relation', note: '每户有且只有一名户主' },
  { key: 'idNumber', header: '身份证号码', en: 'ID number', level: M, required: true, note: '18位（旧15位号码自动转换）；请将单元格设为文本' },
  { key: 'phone', header: '联系电话', en: 'Phone', level: M, required: false, note: '手机号或带区号的固定电话' },
  { key: 'health', header: '健康状况', en: 'Health', level: M, required: true, codes: 'health', note: '' },
  { key: 'workStatus', header: '就业状况', en: 'Work status', level: M, required: true, codes: 'workStatus', note: '' },
  { key: 'monthlyIncome', header: '月收入', en: 'Monthly income', level: M, required: false, note: '元，最多2位小数，不填视为0' },
  { key: 'maritalStatus', header: '婚姻状况', en: 'Marital status', level: M, required: false, codes: 'maritalStatus', note: '' },
  { key: 'schoolStage', header: '在读阶段', en: 'School stage', level: M, required: false, codes: 'schoolStage', note: '在校学生填写' },
  { key: 'medicalInsurance', header: '医疗保险', en: 'Medical insurance', level: M, required: false, codes: 'medicalInsurance', note: '' },
  { key: 'modelWorker', header: '劳模类型', en: 'Model worker', level: M, required: false, codes: 'modelWorker', note: '' },
]
export const columnByKey = new Map(columns.map((c) => [c.key, c]))

const normaliseHeader = (h: string) =>
  h.replace(/[\s*＊]/g, '').replace(/（/g, '(').replace(/）/g, ')').replace(/\(元\)|\(平方米\)|\(㎡\)/g, '').toLowerCase()
const headerIndex = new Map<string, ColumnKey>()
for (const c of columns) {
  headerIndex.set(normaliseHeader(c.header), c.key)
  headerIndex.set(normaliseHeader(c.key), c.key)
  headerIndex.set(normaliseHeader(c.en), c.key)
}
headerIndex.set(normaliseHeader('临时编号'), 'householdKey')

/** One data row as the spreadsheet numbers it (the header is row 1). */
export interface SheetRow {
  rowNo: number
  values: Partial<Record<ColumnKey, string>>
}

export interface Problem {
  rowNo: number
  householdKey: string | null
  /** the column's template header (zh), null for the row or file as a whole */
  column: string | null
  code: string
  message: Text
  dupRowNo?: number | null
  dupRegionCode?: string | null
}

export const problemTexts = {
  missingColumns: (names: string[]) => text(`The header row lacks required columns: ${names.join(', ')}`, `表头缺少必填列：${names.join('、')}`),
  duplicateColumn: (name: string) => text(`The column ${name} appears twice in the header row`, `表头中“${name}”列出现了两次`),
  empty: text('Required; the cell is empty', '必填，不能为空'),
  tooLong: (n: number) => text(`At most ${n} characters`, `不能超过${n}个字`),
  code: (name: CodeListName) =>
    text(`Not one of: ${Object.keys(codeLists[name].labels).join(', ')}`, `不是可识别的值，可填：${Object.values(codeLists[name].labels).join('、')}`),
  yesNo: text('Write 是 or 否 (yes or no)', '请填写“是”或“否”'),
  money: text('An amount in yuan, zero or more, with at most 2 decimals', '金额应为不小于0的元数，最多2位小数'),
  area: text('Square metres, more than 0, with at most 1 decimal', '面积应为大于0的平方米数，最多1位小数'),
  county: text('Not a county-level GB/T 2260 code', '不是县级行政区划代码（GB/T 2260）'),
  countyScope: text('The county is outside your data scope', '该县区超出您的数据范围'),
  countyOrg: text("The county lies outside the filing organisation's region", '该县区不在建档组织的行政区划之内'),
  tooManyCauses: text('At most 3 secondary causes', '次要致困原因最多3项'),
  causeTwice: text('The primary cause is repeated among the secondary causes', '次要致困原因与主要致困原因重复'),
  noHead: text('The household has no head (与户主关系 = 户主)', '本户没有户主（与户主关系应有一行为“户主”）'),
  secondHead: text('The household already has a head; this is a second one', '本户已有户主，此为第二名'),
  differsFromHead: text("Differs from the value on the head's row; household columns are read from the head's row", '与户主行填写的值不一致（家庭信息以户主行为准）'),
  notContiguous: (first: number) =>
    text(`This household's rows must stand together; it already began at row ${first}`, `同一户的成员行须相邻排列，本户已在第${first}行出现`),
  tooManyMembers: text('A household of more than 30 members is not plausible', '一户超过30名成员，请核对'),
  sameIdInFile: (other: number) => text(`The same ID number is also on row ${other} of this file`, `与本文件第${other}行的身份证号码相同`),
  onFile: (where: string) =>
    text(`This person is already on an active household file in ${where}; one person can be on only one household file`, `此人已在${where}建档，一人只能属于一个在档家庭`),
} as const

/** Maps the header row to column keys; unknown headers are ignored (notes, remarks), missing required ones fail the file. */
export function mapHeader(cells: readonly string[]): { keys: (ColumnKey | null)[]; problems: Problem[] } {
  const problems: Problem[] = []
  const seen = new Set<ColumnKey>()
  const keys = cells.map((cell) => {
    const key = headerIndex.get(normaliseHeader(cell ?? '')) ?? null
    if (key && seen.has(key)) {
      problems.push({ rowNo: 1, householdKey: null, column: columnByKey.get(key)!.header, code: 'duplicate_column', message: problemTexts.duplicateColumn(columnByKey.get(key)!.header) })
      return null
    }
    if (key) seen.add(key)
    return key
  })
  const missing = columns.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header)
  if (missing.length > 0) problems.push({ rowNo: 1, householdKey: null, column: null, code: 'missing_columns', message: problemTexts.missingColumns(missing) })
  return { keys, problems }
}

/** Yuan with at most two decimals → fen. Thousands separators and a ¥ sign are tolerated. */
export function parseYuan(cell: string): bigint | null {
  const s = cell.replace(/[,，\s¥￥]/g, '')
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return null
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'))
}

function parseYesNo(cell: string): boolean | null {
  const v = cell.trim().toLowerCase()
  if (['是', 'y', 'yes', 'true', '1', '有'].includes(v)) return true
  if (['否', 'n', 'no', 'false', '0', '无'].includes(v)) return false
  return null
}

export interface ImportedMember extends MemberFacts {
  rowNo: number
}

export interface ImportedHousehold extends HouseholdFacts {
  key: string
  firstRowNo: number
  regionCode: string
  address: string
  /** an older scheme's type, stored with LEGACY_TYPE_SCHEME; null when not given */
  legacyHardshipType: string | null
  /** the head first, then in file order */
  members: ImportedMember[]
}

export interface RowContext {
  /** county-level region codes (GB/T 2260) */
  isCounty(code: string): boolean
  scope: DataScope
  /** the filing organisation's region prefix ('' national) */
  orgRegionPrefix: string
  today: Date
}

const householdColumnKeys = columns.filter((c) => c.level === 'household').map((c) => c.key)

/**
 * Validates the rows of one household (already grouped by 户编号). Returns the household when
 * every row is valid, and every problem found otherwise: the person fixes the file at once.
 */
export function validateHousehold(key: string, rows: readonly SheetRow[], ctx: RowContext): { household: ImportedHousehold | null; problems: Problem[] } {
  const problems: Problem[] = []
  const add = (rowNo: number, col: ColumnKey | null, code: string, message: Text) =>
    problems.push({ rowNo, householdKey: key || null, column: col ? columnByKey.get(col)!.header : null, code, message })
  const cell = (r: SheetRow, k: ColumnKey) => (r.values[k] ?? '').trim()

  if (rows.length > 30) add(rows[30]!.rowNo, 'householdKey', 'too_many_members', problemTexts.tooManyMembers)

  // Members.
  const members: ImportedMember[] = []
  let head: SheetRow | null = null
  for (const r of rows) {
    const before = problems.length
    if (!key) add(r.rowNo, 'householdKey', 'required', problemTexts.empty)
    const name = cell(r, 'name')
    if (!name) add(r.rowNo, 'name', 'required', problemTexts.empty)
    else if (name.length > 50) add(r.rowNo, 'name', 'too_long', problemTexts.tooLong(50))

    const relationCell = cell(r, 'relation')
    const relation = relationCell ? readCode('relation', relationCell) : null
    if (!relationCell) add(r.rowNo, 'relation', 'required', problemTexts.empty)
    else if (!relation) add(r.rowNo, 'relation', 'code', problemTexts.code('relation'))
    else if (relation === 'head') {
      if (head) add(r.rowNo, 'relation', 'second_head', problemTexts.secondHead)
      else head = r
    }

    const idCell = cell(r, 'idNumber')
    const id = idCell ? parseResidentId(idCell, ctx.today) : null
    if (!idCell) add(r.rowNo, 'idNumber', 'required', problemTexts.empty)
    else if (id && !id.ok) add(r.rowNo, 'idNumber', 'id_number', id.problem)

    let phone: string | null = null
    const phoneCell = cell(r, 'phone')
    if (phoneCell) {
      const parsed = parsePhone(phoneCell)
      if (parsed.ok) phone = parsed.normalised
      else add(r.rowNo, 'phone', 'phone', parsed.problem)
    }

    const code = (k: ColumnKey, listName: CodeListName, required: boolean): string | null => {
      const v = cell(r, k)
      if (!v) {
        if (required) add(r.rowNo, k, 'required', problemTexts.empty)
        return null
      }
      const c = readCode(listName, v)
      if (!c) add(r.rowNo, k, 'code', problemTexts.code(listName))
      return c
    }
    const health = code('health', 'health', true)
    const workStatus = code('workStatus', 'workStatus', true)
    const maritalStatus = code('maritalStatus', 'maritalStatus', false)
    const schoolStage = code('schoolStage', 'schoolStage', false)
    const medicalInsurance = code('medicalInsurance', 'medicalInsurance', false)
    const modelWorker = code('modelWorker', 'modelWorker', false)

    const incomeCell = cell(r, 'monthlyIncome')
    const income = incomeCell ? parseYuan(incomeCell) : 0n
    if (income === null) add(r.rowNo, 'monthlyIncome', 'money', problemTexts.money)

    if (problems.length === before && id?.ok && relation && health && workStatus && income !== null) {
      members.push({
        rowNo: r.rowNo, name, relation: relation as MemberRelation, idNumber: id.id, birthDate: id.birthDate, sex: id.sex, phone, health, workStatus,
        monthlyIncomeFen: income, maritalStatus, schoolStage, medicalInsurance, modelWorker,
      })
    }
  }

  const allRelationsRead = rows.every((r) => readCode('relation', cell(r, 'relation')) !== null)
  if (!head) {
    if (allRelationsRead) add(rows[0]!.rowNo, 'relation', 'no_head', problemTexts.noHead)
    return { household: null, problems }
  }

  // Household columns: from the head's row; other rows blank or the same.
  for (const r of rows) {
    if (r === head) continue
    for (const k of householdColumnKeys) {
      if (k === 'householdKey') continue
      const v = cell(r, k)
      if (v && v !== cell(head, k)) add(r.rowNo, k, 'differs_from_head', problemTexts.differsFromHead)
    }
  }
  const at = head.rowNo
  const hv = (k: ColumnKey) => cell(head!, k)

  const regionCode = hv('regionCode')
  if (!regionCode) add(at, 'regionCode', 'required', problemTexts.empty)
  else if (!/^\d{6}$/.test(regionCode) || !ctx.isCounty(regionCode)) add(at, 'regionCode', 'region', problemTexts.county)
  else if (!scopeCovers(ctx.scope, regionCode)) add(at, 'regionCode', 'region_scope', problemTexts.countyScope)
  else if (!regionCode.startsWith(ctx.orgRegionPrefix)) add(at, 'regionCode', 'region_org', problemTexts.countyOrg)

  const address = hv('address')
  if (!address) add(at, 'address', 'required', problemTexts.empty)
  else if (address.length > 200) add(at, 'address', 'too_long', problemTexts.tooLong(200))

  const optionalCode = (k: ColumnKey, listName: CodeListName): string | null => {
    const v = hv(k)
    if (!v) return null
    const c = readCode(listName, v)
    if (!c) add(at, k, 'code', problemTexts.code(listName))
    return c
  }
  const hukouType = optionalCode('hukouType', 'hukouType')
  const housingType = optionalCode('housingType', 'housingType')
  const restructuring = optionalCode('restructuring', 'restructuring')
  const socialInsurance = optionalCode('socialInsurance', 'socialInsurance')
  const primaryCause = optionalCode('primaryCause', 'cause')
  const legacyHardshipType = optionalCode('legacyHardshipType', 'legacyHardshipType')

  let housingArea: string | null = null
  if (hv('housingArea')) {
    const m = /^(\d{1,6})(?:\.(\d))?$/.exec(hv('housingArea'))
    if (!m || Number(hv('housingArea')) <= 0) add(at, 'housingArea', 'area', problemTexts.area)
    else housingArea = `${Number(m[1])}.${m[2] ?? '0'}`
  }

  let employerCreditCode: string | null = null
  if (hv('employerCreditCode')) {
    const c = parseCreditCode(hv('employerCreditCode'))
    if (c.ok) employerCreditCode = c.code
    else add(at, 'employerCreditCode', 'credit_code', c.problem)
  }
  const employerName = hv('employerName') || null
  if (employerName && employerName.length > 100) add(at, 'employerName', 'too_long', problemTexts.tooLong(100))

  const yesNo = (k: ColumnKey): boolean => {
    if (!hv(k)) return false
    const b = parseYesNo(hv(k))
    if (b === null) add(at, k, 'yes_no', problemTexts.yesNo)
    return b ?? false
  }
  const inDibao = yesNo('inDibao')
  const migrantWorker = yesNo('migrantWorker')

  const money = (k: ColumnKey): bigint => {
    if (!hv(k)) return 0n
    const v = parseYuan(hv(k))
    if (v === null) add(at, k, 'money', problemTexts.money)
    return v ?? 0n
  }
  const yearlyIncomeFen = money('yearlyIncome')
  const yearlyRigidSpendingFen = money('yearlyRigidSpending')
  const yearlyHardshipSpendingFen = money('yearlyHardshipSpending')

  const secondaryCauses: string[] = []
  if (hv('secondaryCauses')) {
    const parts = hv('secondaryCauses').split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean)
    const codes = parts.map((p) => readCode('cause', p))
    if (codes.some((c) => c === null)) add(at, 'secondaryCauses', 'code', problemTexts.code('cause'))
    else if (parts.length > 3) add(at, 'secondaryCauses', 'too_many', problemTexts.tooManyCauses)
    else if (primaryCause && codes.includes(primaryCause)) add(at, 'secondaryCauses', 'cause_twice', problemTexts.causeTwice)
    else for (const c of codes) if (!secondaryCauses.includes(c!)) secondaryCauses.push(c!)
  }

  if (problems.length > 0) return { household: null, problems }
  const headMember = members.find((m) => m.rowNo === head!.rowNo)!
  return {
    household: {
      key, firstRowNo: rows[0]!.rowNo, regionCode, address, hukouType, housingType, housingArea, employerCreditCode, employerName, inDibao, migrantWorker,
      restructuring, socialInsurance, yearlyIncomeFen, yearlyRigidSpendingFen, yearlyHardshipSpendingFen, primaryCause, secondaryCauses, legacyHardshipType,
      members: [headMember, ...members.filter((m) => m !== headMember)],
    },
    problems,
  }
}

/**
 * Groups rows into households as they stream by: a household is complete when the next key
 * begins. A key that comes back after another household's rows is a problem on each row that
 * does (the rows of one household stand together), and those rows join no household.
 */
export class HouseholdGrouper {
  private current: { key: string; rows: SheetRow[] } | null = null
  private readonly started = new Map<string, number>()
  readonly problems: Problem[] = []

  /** Returns the household that this row completed, if any. */
  push(row: SheetRow): { key: string; rows: SheetRow[] } | null {
    const key = (row.values.householdKey ?? '').trim()
    if (this.current && key === this.current.key && key !== '') {
      this.current.rows.push(row)
      return null
    }
    const done = this.current
    const first = key === '' ? undefined : this.started.get(key)
    if (first !== undefined) {
      this.problems.push({ rowNo: row.rowNo, householdKey: key, column: columnByKey.get('householdKey')!.header, code: 'not_contiguous', message: problemTexts.notContiguous(first) })
      this.current = null
      return done
    }
    if (key !== '') this.started.set(key, row.rowNo)
    this.current = { key, rows: [row] }
    return done
  }

  finish(): { key: string; rows: SheetRow[] } | null {
    const done = this.current
    this.current = null
    return done
  }
}
