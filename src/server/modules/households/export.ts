import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { chinaDate } from '../../platform/china-date.ts'
import type { ExportPlan, HouseholdListItem } from './list.service.ts'

// The list of household files as an .xlsx workbook (issue 3 §9): one sheet, the list's columns
// with Chinese headers and labels, streamed row by row (exceljs WorkbookWriter), so memory stays
// flat whatever the size. The head's ID number is masked as on screen (4101**********1234); no
// phone number is in it.

const statusLabels: Record<string, string> = {
  draft: '草稿',
  submitted: '待审核',
  verified: '在档',
  reverifying: '复核中',
  exited: '已脱困',
  removed: '已退出（不符合）',
}
const typeLabels: Record<string, string> = { deep: '深度困难', relative: '相对困难', accident: '意外致困' }
const causeLabels: Record<string, string> = {
  no_work_capacity: '无劳动能力',
  jobless_able: '有劳动能力未就业',
  laid_off: '下岗失业',
  uninsured: '未参加社保',
  benefits_missing: '社保待遇不到位',
  serious_illness: '重特大疾病',
  natural_disaster: '自然灾害',
  accident: '意外事故',
  schooling: '子女上学',
  other: '其他',
}
const groupLabels: Record<number, string> = {
  1: '低保有劳动能力未充分就业',
  2: '低于低保线未纳入低保',
  3: '因病因灾因意外致困',
  4: '进城务工特殊困难',
  5: '改制破产等致困',
}
const batchLabels: Record<string, string> = {
  employment: '就业创业帮扶一批',
  social_insurance: '社会保险兜底一批',
  medical: '医疗互助救助一批',
  assistance: '社会救助保障一批',
}

const label = (labels: Record<string | number, string>, code: string | number | null) => (code === null ? '' : (labels[code] ?? String(code)))

export const exportColumns: { header: string; key: string; width: number; value: (h: HouseholdListItem) => string | number | null }[] = [
  { header: '档案编号', key: 'fileNo', width: 22, value: (h) => h.fileNo },
  { header: '所在地区', key: 'regionName', width: 18, value: (h) => h.regionName },
  { header: '建档单位', key: 'orgName', width: 24, value: (h) => h.orgName },
  { header: '户主姓名', key: 'headName', width: 10, value: (h) => h.headName },
  { header: '户主身份证号（脱敏）', key: 'headIdNumber', width: 22, value: (h) => h.headIdNumber ?? '' },
  { header: '家庭人口', key: 'memberCount', width: 9, value: (h) => h.memberCount },
  { header: '状态', key: 'status', width: 14, value: (h) => label(statusLabels, h.status) },
  { header: '困难类型', key: 'hardshipType', width: 10, value: (h) => label(typeLabels, h.hardshipType) },
  // yuan for people reading the sheet; the figure is whole fen, so two decimals are exact
  { header: '月人均收入（元）', key: 'perCapita', width: 14, value: (h) => (h.perCapitaMonthlyFen === null ? null : Number(h.perCapitaMonthlyFen) / 100) },
  { header: '帮扶对象类别', key: 'targetGroups', width: 28, value: (h) => h.targetGroups.map((g) => label(groupLabels, g)).join('；') },
  { header: '四个一批', key: 'batches', width: 28, value: (h) => h.batches.map((b) => label(batchLabels, b)).join('；') },
  { header: '主要致困原因', key: 'primaryCause', width: 16, value: (h) => label(causeLabels, h.primaryCause) },
  { header: '结对帮扶单位', key: 'helperOrgName', width: 24, value: (h) => h.helperOrgName ?? '' },
  { header: '帮扶责任人', key: 'helperPerson', width: 12, value: (h) => h.helperPerson ?? '' },
  { header: '最近走访', key: 'lastVisitOn', width: 12, value: (h) => h.lastVisitOn ?? '' },
  { header: '建档日期', key: 'createdAt', width: 12, value: (h) => chinaDate(h.createdAt) },
]

/** 困难职工档案_2026-11-23.xlsx */
export function exportFileName(now = new Date()): string {
  return `困难职工档案_${chinaDate(now)}.xlsx`
}

/** Writes the workbook to `out`, one chunk of rows at a time; resolves when the file is complete. */
export async function writeHouseholdWorkbook(plan: ExportPlan, out: Writable): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Jiekun'
  const sheet = workbook.addWorksheet('困难职工档案', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = exportColumns.map((c) => ({ header: c.header, key: c.key, width: c.width }))
  sheet.getRow(1).font = { bold: true }
  sheet.getColumn('perCapita').numFmt = '0.00'
  let written = 0
  for await (const chunk of plan.chunks()) {
    for (const h of chunk) {
      sheet.addRow(exportColumns.map((c) => c.value(h))).commit()
      written++
    }
  }
  sheet.commit()
  await workbook.commit()
  return written
}
