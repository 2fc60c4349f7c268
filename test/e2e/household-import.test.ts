import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { residentIdCheckChar } from '../../src/server/platform/codes/resident-id.ts'
import { type Harness, screenshotPath, signIn, startHarness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => h?.close())

const HEADER = '户编号,县区代码,家庭住址,家庭年收入,主要致困原因,姓名,与户主关系,身份证号码,联系电话,健康状况,就业状况,月收入'
const idOf = (first17: string) => first17 + residentIdCheckChar(first17)

/** 10 households of three members; rows 8, 17 and 26 of the sheet carry one mistake each. */
function sheet(): string {
  const lines: string[] = []
  for (let i = 0; i < 30; i++) {
    const household = Math.floor(i / 3)
    const relation = ['户主', '配偶', '子女'][i % 3]!
    const head = relation === '户主'
    let id = idOf(`41010219${60 + household}0${(i % 3) + 1}15${String(i).padStart(3, '0')}`)
    let county = '410102'
    const row = i + 2 // the header is row 1
    if (row === 8) id = id.slice(0, 17) + (id.endsWith('1') ? '2' : '1') // wrong check character
    if (row === 17) id = idOf('41010219990230123') // 30 February
    if (row === 26) county = '419999' // no such county (row 26 is a head's row)
    lines.push([`H${household}`, head ? county : '', head ? '中原区建设路 8 号' : '', head ? '18000' : '', head ? '下岗失业' : '', `成员${i}`, relation, id, '', '健康', relation === '子女' ? '在校学生' : '下岗', '800'].join(','))
  }
  return `\ufeff${HEADER}\r\n${lines.join('\r\n')}\r\n`
}

describe('household import', () => {
  it('a file with three bad rows lists each by row and column, and importing all-or-nothing writes nothing', async () => {
    const before = { households: await h.count('household'), members: await h.count('household_member'), registry: await h.count('person_registry') }
    const { context, page } = await h.newPage()
    await signIn(page, 'case_worker')
    await page.goto('/households')
    await page.getByTestId('list-import').click()
    await page.getByTestId('import-template').waitFor()
    await page.screenshot({ path: screenshotPath('import-start') })

    await page.locator('[data-testid="import-upload"] input[type=file], input[type=file]').first().setInputFiles({ name: '困难职工导入.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet(), 'utf8') })
    const problems = page.getByTestId('import-problems')
    await problems.waitFor({ timeout: 30_000 })
    await expect.poll(() => problems.locator('tbody tr.ant-table-row').count(), { timeout: 20_000 }).toBe(3)
    const text = (await problems.textContent()) ?? ''
    for (const row of ['8', '17', '26']) expect(text).toContain(row)
    expect(text).toContain('身份证号码')
    expect(text).toContain('县区代码')
    await page.screenshot({ path: screenshotPath('import-problems'), fullPage: true })

    await page.getByTestId('import-mode').getByText('全部无误才导入').click()
    await page.getByTestId('import-commit').click()
    await page.locator('.ant-popconfirm .ant-btn-primary').click()
    await page.getByTestId('import-refusal').waitFor()
    await page.screenshot({ path: screenshotPath('import-refused') })

    expect({ households: await h.count('household'), members: await h.count('household_member'), registry: await h.count('person_registry') }).toEqual(before)
    await context.close()
  })
})
