import ExcelJS from 'exceljs'
import { creditCodeCheckChar } from '../../../platform/codes/credit-code.ts'
import { residentIdCheckChar } from '../../../platform/codes/resident-id.ts'
import { codeLists, columns } from './validate.ts'

// The downloadable template: sheet 1 holds the header row and two example rows (clean data
// rows, nothing else, so a filled-in copy uploads as it is); sheet 2 (填写说明) explains every
// column and lists every code; code columns carry drop-down lists.

export const TEMPLATE_FILE_NAME = '困难职工家庭导入模板.xlsx'

const examples: Record<string, string>[] = [
  {
    householdKey: 'H001', regionCode: '410102', address: '郑州市中原区建设路街道1号院2号楼3单元401', hukouType: '城镇', housingType: '租房', housingArea: '45.5',
    employerCreditCode: `91410100MA9F5X3Q5${creditCodeCheckChar('91410100MA9F5X3Q5')}`, employerName: '郑州某纺织有限公司', inDibao: '否', migrantWorker: '否', restructuring: '破产', socialInsurance: '部分参保',
    yearlyIncome: '24000.00', yearlyRigidSpending: '6000', yearlyHardshipSpending: '0', primaryCause: '下岗失业', secondaryCauses: '子女上学、重特大疾病',
    legacyHardshipType: '', name: '张三', relation: '户主', idNumber: `41010219800101123${residentIdCheckChar('41010219800101123')}`, phone: '13812345678', health: '健康', workStatus: '下岗',
    monthlyIncome: '1200', maritalStatus: '已婚', schoolStage: '', medicalInsurance: '职工医保', modelWorker: '',
  },
  {
    householdKey: 'H001', name: '张小明', relation: '子女', idNumber: `41010220100505123${residentIdCheckChar('41010220100505123')}`, health: '健康', workStatus: '在校学生', monthlyIncome: '0',
    maritalStatus: '未婚', schoolStage: '初中', medicalInsurance: '居民医保',
  },
]

export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Jiekun'
  const data = wb.addWorksheet('家庭成员')
  data.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(10, c.header.length * 2 + 2), style: { numFmt: '@' } }))
  const header = data.getRow(1)
  header.font = { bold: true }
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1)
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFDE9D9' : c.level === 'household' ? 'FFEAF1FB' : 'FFF2F2F2' } }
    if (c.note) cell.note = c.note
  })
  data.views = [{ state: 'frozen', ySplit: 1 }]
  for (const e of examples) data.addRow(e)
  // Drop-downs on the code columns (and 是/否), for the first 5,000 data rows.
  columns.forEach((c, i) => {
    const letter = data.getColumn(i + 1).letter
    const values = c.codes && c.key !== 'secondaryCauses' ? Object.values(codeLists[c.codes].labels) : c.key === 'inDibao' || c.key === 'migrantWorker' ? ['是', '否'] : null
    if (!values) return
    // One range, not 5,000 cells: the writer emits it as a single sqref.
    const validations = (data as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations
    validations.add(`${letter}2:${letter}5001`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${values.join(',')}"`],
      showErrorMessage: true,
      errorTitle: '不是可选的值',
      error: `请从下拉列表中选择：${values.join('、')}`,
    })
  })

  const help = wb.addWorksheet('填写说明')
  help.columns = [{ width: 26 }, { width: 10 }, { width: 10 }, { width: 90 }]
  help.addRow(['困难职工家庭建档导入模板 · 填写说明']).font = { bold: true, size: 14 }
  help.addRow(['每行填写一名家庭成员；同一户的成员填写相同的“户编号”并相邻排列。家庭信息（住址、收入、致困原因等）以户主所在行为准，其他成员行可不填。'])
  help.addRow(['建档组织在上传时统一选择；每户的县区须在您的数据范围和建档组织的区划之内。金额单位为元，最多2位小数。'])
  help.addRow(['上传后系统先校验每一行，列出全部问题和重复人员；确认后才写入。可选择只导入无误的家庭，或全部无误才导入。'])
  help.addRow([])
  help.addRow(['列名', '层级', '必填', '说明 / 可填的值']).font = { bold: true }
  for (const c of columns) {
    const values = c.codes ? Object.values(codeLists[c.codes].labels).join('、') : c.key === 'inDibao' || c.key === 'migrantWorker' ? '是、否' : ''
    help.addRow([c.header, c.level === 'household' ? '家庭' : '成员', c.required ? '是' : '', [c.note, values].filter(Boolean).join('；')])
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
