import fs from 'node:fs'
import ExcelJS from 'exceljs'

// Reading an uploaded file row by row, without holding it in memory: a CSV (UTF-8 with or
// without BOM, or GB18030 as Excel saves "CSV" on Chinese Windows — Node's TextDecoder knows
// it, no iconv needed) or the first worksheet of an .xlsx. Rows are numbered as the
// spreadsheet shows them (the header is row 1); blank rows are skipped but keep their numbers.

export interface RawRow {
  rowNo: number
  cells: string[]
}

export type FileFormat = 'csv' | 'xlsx'

export function formatOf(fileName: string): FileFormat | null {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.xlsx')) return 'xlsx'
  return null
}

export function readRows(filePath: string, format: FileFormat): AsyncGenerator<RawRow> {
  return format === 'csv' ? readCsv(filePath) : readXlsx(filePath)
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '')

/** Picks the text encoding from the first bytes: a BOM or valid UTF-8 means UTF-8, anything else GB18030. */
export function sniffEncoding(head: Buffer): { encoding: 'utf-8' | 'gb18030'; bomLength: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    return { encoding: 'utf-8', bomLength: 0 }
  } catch {
    return { encoding: 'gb18030', bomLength: 0 }
  }
}

async function* readCsv(filePath: string): AsyncGenerator<RawRow> {
  const fd = await fs.promises.open(filePath, 'r')
  const head = Buffer.alloc(64 * 1024)
  const { bytesRead } = await fd.read(head, 0, head.length, 0)
  await fd.close()
  const { encoding, bomLength } = sniffEncoding(head.subarray(0, bytesRead))
  const decoder = new TextDecoder(encoding)
  const parser = new CsvParser()
  let rowNo = 0
  for await (const chunk of fs.createReadStream(filePath, { start: bomLength, highWaterMark: 1 << 20 })) {
    for (const cells of parser.feed(decoder.decode(chunk as Buffer, { stream: true }))) {
      rowNo++
      if (!isBlank(cells)) yield { rowNo, cells }
    }
  }
  for (const cells of parser.feed(decoder.decode(), true)) {
    rowNo++
    if (!isBlank(cells)) yield { rowNo, cells }
  }
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF ends a record. */
export class CsvParser {
  private field = ''
  private record: string[] = []
  private quoted = false
  /** inside quotes, just saw a quote: either the end of the quoted part or the first of "" */
  private quoteSeen = false
  private atFieldStart = true
  private pendingCr = false

  feed(textChunk: string, end = false): string[][] {
    const out: string[][] = []
    const s = textChunk
    let i = 0
    let plainStart = -1
    const flushPlain = (to: number) => {
      if (plainStart >= 0) {
        this.field += s.slice(plainStart, to)
        plainStart = -1
      }
    }
    for (; i < s.length; i++) {
      const ch = s.charCodeAt(i)
      if (this.pendingCr) {
        this.pendingCr = false
        if (ch === 10) continue
      }
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false
          if (ch === 34) {
            this.field += '"'
            continue
          }
          this.quoted = false
          // fall through: the character after a closing quote is read as unquoted
        } else if (ch === 34) {
          flushPlain(i)
          this.quoteSeen = true
          continue
        } else {
          if (plainStart < 0) plainStart = i
          continue
        }
      }
      if (ch === 44 /* , */) {
        flushPlain(i)
        this.record.push(this.field)
        this.field = ''
        this.atFieldStart = true
      } else if (ch === 10 || ch === 13) {
        flushPlain(i)
        this.record.push(this.field)
        out.push(this.record)
        this.record = []
        this.field = ''
        this.atFieldStart = true
        if (ch === 13) this.pendingCr = true
      } else if (ch === 34 && this.atFieldStart) {
        this.quoted = true
        this.atFieldStart = false
      } else {
        this.atFieldStart = false
        if (plainStart < 0) plainStart = i
      }
    }
    flushPlain(s.length)
    if (end) {
      this.quoted = false
      this.quoteSeen = false
      if (this.field !== '' || this.record.length > 0) {
        this.record.push(this.field)
        out.push(this.record)
      }
      this.record = []
      this.field = ''
      this.atFieldStart = true
    }
    return out
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 1e15 ? BigInt(value).toString() : String(value)
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('')
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null)
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('error' in value) return ''
  }
  return String(value)
}

async function* readXlsx(filePath: string): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit' })
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[]
      const cells: string[] = []
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] ?? null))
      if (!isBlank(cells)) yield { rowNo: row.number, cells }
    }
    // The first worksheet holds the data; the others are instructions.
    break
  }
}
