import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import { formatDateTime } from '../../lib/format';
import { fenToYuan } from '../../lib/money';
import { useAsync } from '../../lib/useAsync';

// 困难职工档案表: the household file as a formal A4 form, for signing and the paper archive.
// It prints what the screen shows: ID numbers masked unless the detail page was in full view
// (?full=true, pii.view only; the server audits that view). Sections whose endpoints are not
// there (404) or not readable are left out rather than failing the whole form.

interface PrintMember {
  id: string;
  name: string;
  relation: string;
  idNumber: string;
  sex: string;
  birthDate: string;
  health: string;
  workStatus: string;
  monthlyIncomeFen: string;
}

/** What the form reads of GET /api/households/{id}; every field past the first filing is optional. */
interface PrintHousehold {
  id: string;
  fileNo: string;
  regionName: string;
  orgName?: string;
  address: string;
  headName?: string;
  status: string;
  fullView: boolean;
  createdAt: string;
  hukouType?: string | null;
  housingType?: string | null;
  housingArea?: string | null;
  employerName?: string | null;
  employerCreditCode?: string | null;
  socialInsurance?: string | null;
  inDibao?: boolean;
  migrantWorker?: boolean;
  yearlyIncomeFen?: string;
  yearlyRigidSpendingFen?: string;
  yearlyHardshipSpendingFen?: string;
  primaryCause?: string | null;
  secondaryCauses?: string[];
  classification?: { hardshipType?: string | null; perCapitaMonthlyFen?: string | null; targetGroups?: number[]; batches?: string[] };
  helper?: { orgName?: string | null; person?: string | null; pairedOn?: string | null } | null;
  verifiedAt?: string | null;
  members: PrintMember[];
}

interface Measure {
  id: string;
  batch: string;
  target: string;
  responsible: string;
  dueOn: string;
  status: string;
  outcome: string | null;
}
interface Visit {
  id: string;
  visitedOn: string;
  visitor: string;
  findings: string;
  followUp: string | null;
}
interface Pairing {
  helperOrgName: string | null;
  helperPerson: string | null;
  pairedOn: string | null;
  paired: boolean;
}

/** An optional section's data; null when the endpoint is missing or refuses (the section is then left out). */
async function optional<T>(url: string, lang: string): Promise<T | null> {
  try {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json', 'Accept-Language': lang } });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

const PRINT_CSS = `
.jk-print { background: #e9ecf1; min-height: 100%; padding: 24px 0 48px; }
.jk-print-bar { width: 210mm; margin: 0 auto 16px; display: flex; justify-content: space-between; gap: 8px; }
.jk-sheet { width: 210mm; min-height: 297mm; box-sizing: border-box; margin: 0 auto; padding: 18mm 16mm; background: #fff; color: #000;
  box-shadow: 0 2px 12px rgba(0,0,0,.15); font-family: 'SimSun', 'Songti SC', 'Noto Serif CJK SC', 'Source Han Serif SC', serif; font-size: 10.5pt; line-height: 1.5; }
.jk-sheet h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; font-weight: bold; }
.jk-sheet .jk-meta { display: flex; justify-content: space-between; margin-bottom: 3mm; font-size: 10pt; }
.jk-sheet h2 { font-size: 11.5pt; margin: 5mm 0 1.5mm; font-weight: bold; break-after: avoid; page-break-after: avoid; }
.jk-sheet table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.jk-sheet th, .jk-sheet td { border: 1px solid #000; padding: 1.2mm 1.6mm; vertical-align: middle; overflow-wrap: anywhere; }
.jk-sheet th { font-weight: normal; background: #f2f2f2; text-align: center; font-size: 9pt; padding: 1.2mm 1mm; }
.jk-sheet td.jk-label { background: #f7f7f7; text-align: center; width: 17%; }
.jk-sheet td.jk-num { text-align: right; font-variant-numeric: tabular-nums; }
.jk-sheet td.jk-c { text-align: center; }
.jk-sheet .jk-mono { font-family: 'Courier New', monospace; font-size: 9pt; }
.jk-sheet .jk-nowrap { white-space: nowrap; overflow-wrap: normal; }
.jk-sheet h1.jk-spaced { letter-spacing: .3em; }
.jk-sheet.jk-en th, .jk-sheet.jk-en td { font-size: 9pt; padding: 1mm 1.2mm; }
.jk-sheet tr { break-inside: avoid; page-break-inside: avoid; }
.jk-sheet thead { display: table-header-group; }
.jk-sheet .jk-note { font-size: 9pt; margin-top: 1.5mm; }
.jk-sheet .jk-signs { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 6mm; margin-top: 12mm; break-inside: avoid; page-break-inside: avoid; }
.jk-sheet .jk-sign { border-bottom: 1px solid #000; padding-bottom: 8mm; }
.jk-sheet .jk-seal { text-align: right; margin-top: 8mm; padding-right: 10mm; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html, body, #root { background: #fff !important; height: auto; }
  .jk-print { background: #fff; padding: 0; }
  .jk-no-print { display: none !important; }
  .jk-sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  .jk-sheet th, .jk-sheet td.jk-label { background: none; }
  .jk-sheet .jk-part2 { break-before: page; page-break-before: always; }
  .jk-sheet .jk-part2 > h2:first-child { margin-top: 0; }
  * { color: #000 !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** 困难职工档案表 (route households/:id/print, outside the app layout). */
/**
 * A list section of the form: fixed column widths (per cent), a header row, one row per item, or one
 * row saying "…" while loading (undefined) or "none" when empty.
 */
function ListTable<T extends { id: string }>({ rows, columns, none }: { rows: T[] | undefined; none: ReactNode; columns: { title: string; width: number; className?: string; cell: (row: T) => ReactNode }[] }) {
  return (
    <table>
      <colgroup>
        {columns.map((c) => (
          <col key={c.title} style={{ width: `${c.width}%` }} />
        ))}
      </colgroup>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.title}>{c.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {!rows || rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} className="jk-c">
              {rows === undefined ? '…' : none}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={row.id}>
              {columns.map((c) => (
                <td key={c.title} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** The print's code kinds and the shared label kinds they read (pages/households/labels.ts). */
const CODE_KINDS = {
  batch: 'batch',
  cause: 'cause',
  hhStatus: 'status',
  housing: 'housing',
  hukou: 'hukou',
  insurance: 'socialInsurance',
  measure: 'measureStatus',
  type: 'type',
} as const;

/** A section of label / value pairs, two pairs a line (the form's usual layout). */
function FieldTable({ children }: { children: ReactNode }) {
  return (
    <table>
      <colgroup>
        <col style={{ width: '17%' }} />
        <col style={{ width: '33%' }} />
        <col style={{ width: '17%' }} />
        <col style={{ width: '33%' }} />
      </colgroup>
      <tbody>{children}</tbody>
    </table>
  );
}

export default function HouseholdPrintPage() {
  const { t, has, lang } = useI18n();
  const labels = useLabels();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { describe } = useApiError();
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const full = can('pii.view') && search.get('full') === 'true';

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}', { params: { path: { id }, query: full ? { full: true } : {} } })).then((h) => h as unknown as PrintHousehold),
    [id, full],
  );
  const { data: h, error } = useAsync(load, [load]);

  const [measures, setMeasures] = useState<Measure[] | null | undefined>(undefined);
  const [visits, setVisits] = useState<Visit[] | null | undefined>(undefined);
  const [pairing, setPairing] = useState<Pairing | null | undefined>(undefined);
  useEffect(() => {
    if (!h) return;
    const base = `/api/households/${encodeURIComponent(h.id)}`;
    let cancelled = false;
    void Promise.all([
      optional<{ items: Measure[] }>(`${base}/measures`, lang),
      optional<{ items: Visit[] }>(`${base}/visits`, lang),
      h.helper !== undefined ? Promise.resolve(null) : optional<Pairing>(`${base}/pairing`, lang),
    ]).then(([m, v, p]) => {
      if (cancelled) return;
      setMeasures(m ? m.items : null);
      setVisits(v ? v.items : null);
      setPairing(p);
    });
    return () => {
      cancelled = true;
    };
  }, [h, lang]);

  useEffect(() => {
    if (h) document.title = `${t('print.title')} ${h.fileNo}`;
  }, [h, t]);

  /** A code's label, the same as on the file page (`code.<kind>.<value>`), else the code itself. */
  const code = (kind: keyof typeof CODE_KINDS, value: string | null | undefined): string => {
    if (value === null || value === undefined || value === '') return '';
    const key = `code.${CODE_KINDS[kind]}.${value}`;
    return has(key) ? t(key) : value;
  };
  const yuan = (fen: string | null | undefined) => (fen === null || fen === undefined ? '' : t('print.yuan', { n: fenToYuan(fen) }));
  const zh = lang === 'zh-CN';
  const list = (items: string[]) => items.filter(Boolean).join(zh ? '、' : ', ');
  const colon = zh ? '：' : ': ';
  const yesNo = (v: boolean | undefined) => (v === undefined ? '' : v ? t('print.yes') : t('print.no'));

  const bar = (
    <div className="jk-print-bar jk-no-print">
      <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(`/households/${id}${full ? '?full=true' : ''}`)}>
        {t('print.back')}
      </Button>
      <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!h} data-testid="print-button">
        {t('print.print')}
      </Button>
    </div>
  );

  if (error && !h) {
    return (
      <div className="jk-print">
        <style>{PRINT_CSS}</style>
        {bar}
        <div className="jk-sheet">
          <Result status="warning" title={t('print.loadFailed')} subTitle={describe(error)} />
        </div>
      </div>
    );
  }
  if (!h) {
    return (
      <div className="jk-print">
        <style>{PRINT_CSS}</style>
        {bar}
        <div className="jk-sheet" style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <Spin />
        </div>
      </div>
    );
  }

  const c = h.classification;
  const head = h.headName || h.members.find((m) => m.relation === 'head')?.name || '';
  // The pairing comes with the household when the server sends `helper`; else from /pairing (left out when that is missing).
  const helperKnown = h.helper !== undefined;
  const helper = helperKnown
    ? h.helper
    : pairing
      ? pairing.paired
        ? { orgName: pairing.helperOrgName, person: pairing.helperPerson, pairedOn: pairing.pairedOn }
        : null
      : undefined;
  const showHelper = helperKnown || pairing !== null;
  const none = <span>{t('print.none')}</span>;
  const row = (cells: [string, ReactNode, number?][]) => (
    <tr>
      {cells.map(([label, value, span], i) => [
        <td key={`l${i}`} className="jk-label">
          {label}
        </td>,
        <td key={`v${i}`} colSpan={span ?? 1}>
          {value}
        </td>,
      ])}
    </tr>
  );

  return (
    <div className="jk-print" data-testid="household-print-sheet">
      <style>{PRINT_CSS}</style>
      {bar}
      <div className={zh ? 'jk-sheet' : 'jk-sheet jk-en'}>
        <h1 className={zh ? 'jk-spaced' : undefined}>{t('print.title')}</h1>
        <div className="jk-meta">
          <span>
            {t('print.fileNo')}{colon}<span className="jk-mono">{h.fileNo}</span>
          </span>
          <span>
            {t('print.printedAt')}{colon}{formatDateTime(new Date().toISOString(), true)}
          </span>
        </div>

        <h2>{t('print.basics')}</h2>
        <FieldTable>
          {row([
            [t('print.head'), head],
            [t('print.status'), code('hhStatus', h.status) || labels.householdStatus(h.status)],
          ])}
          {row([
            [t('print.region'), h.regionName],
            [t('print.org'), h.orgName ?? ''],
          ])}
          {row([[t('print.address'), h.address, 3]])}
          {row([
            [t('print.hukou'), code('hukou', h.hukouType)],
            [t('print.housing'), [code('housing', h.housingType), h.housingArea ? t('print.sqm', { n: h.housingArea }) : ''].filter(Boolean).join(zh ? '，' : ', ')],
          ])}
          {row([
            [t('print.employer'), h.employerName ?? ''],
            [t('print.creditCode'), <span className="jk-mono">{h.employerCreditCode ?? ''}</span>],
          ])}
          {row([
            [t('print.insurance'), code('insurance', h.socialInsurance)],
            [t('print.dibao'), yesNo(h.inDibao)],
          ])}
          {row([
            [t('print.migrant'), yesNo(h.migrantWorker)],
            [t('print.perCapita'), yuan(c?.perCapitaMonthlyFen)],
          ])}
          {row([
            [t('print.yearlyIncome'), yuan(h.yearlyIncomeFen)],
            [t('print.rigidSpending'), yuan(h.yearlyRigidSpendingFen)],
          ])}
          {row([
            [t('print.hardshipSpending'), yuan(h.yearlyHardshipSpendingFen)],
            ['', ''],
          ])}
        </FieldTable>

        <h2>{t('print.classification')}</h2>
        <FieldTable>
          {row([
            [t('print.hardshipType'), code('type', c?.hardshipType)],
            [t('print.groups'), list((c?.targetGroups ?? []).map((n) => t('print.group', { n })))],
          ])}
          {row([
            [t('print.primaryCause'), code('cause', h.primaryCause)],
            [t('print.secondaryCauses'), list((h.secondaryCauses ?? []).map((x) => code('cause', x)))],
          ])}
          {row([[t('print.batches'), list((c?.batches ?? []).map((x) => code('batch', x))), 3]])}
        </FieldTable>

        <h2>{t('print.members')}</h2>
        <table>
          <colgroup>
            <col style={{ width: '5%' }} />
            <col style={{ width: '9%' }} />
            <col style={{ width: '11%' }} />
            <col style={{ width: '7%' }} />
            <col style={{ width: '13%' }} />
            <col style={{ width: '24%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '11%' }} />
          </colgroup>
          <thead>
            <tr>
              <th>{t('print.no_')}</th>
              <th>{t('print.name')}</th>
              <th>{t('print.relation')}</th>
              <th>{t('print.sex')}</th>
              <th>{t('print.birthDate')}</th>
              <th>{t('print.idNumber')}</th>
              <th>{t('print.health')}</th>
              <th>{t('print.work')}</th>
              <th>{t('print.income')}</th>
            </tr>
          </thead>
          <tbody>
            {h.members.map((m, i) => (
              <tr key={m.id}>
                <td className="jk-c">{i + 1}</td>
                <td className="jk-c">{m.name}</td>
                <td className="jk-c">{labels.relation(m.relation)}</td>
                <td className="jk-c">{labels.sex(m.sex)}</td>
                <td className="jk-c jk-nowrap">{m.birthDate}</td>
                <td className="jk-c jk-mono jk-nowrap">{m.idNumber}</td>
                <td className="jk-c">{labels.health(m.health)}</td>
                <td className="jk-c">{labels.workStatus(m.workStatus)}</td>
                <td className="jk-num">{fenToYuan(m.monthlyIncomeFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="jk-note">{h.fullView ? t('print.fullNote') : t('print.maskedNote')}</div>

        {/* Plan, pairing, visits and the signatures start the second sheet. */}
        <div className="jk-part2">
          {measures === null ? null : (
            <>
              <h2>{t('print.plan')}</h2>
              <ListTable
                rows={measures}
                none={none}
                columns={[
                  { title: t('print.batch'), width: 14, className: 'jk-c', cell: (m) => code('batch', m.batch) },
                  { title: t('print.target'), width: 29, cell: (m) => m.target },
                  { title: t('print.responsible'), width: 12, className: 'jk-c', cell: (m) => m.responsible },
                  { title: t('print.dueOn'), width: 13, className: 'jk-c jk-nowrap', cell: (m) => m.dueOn },
                  { title: t('print.measureStatus'), width: 11, className: 'jk-c', cell: (m) => code('measure', m.status) },
                  { title: t('print.outcome'), width: 21, cell: (m) => m.outcome ?? '' },
                ]}
              />
            </>
          )}

          {!showHelper ? null : (
            <>
              <h2>{t('print.helper')}</h2>
              <FieldTable>
                {helper ? (
                  <>
                    {row([
                      [t('print.helperOrg'), helper.orgName ?? ''],
                      [t('print.helperPerson'), helper.person ?? ''],
                    ])}
                    {row([[t('print.pairedOn'), helper.pairedOn ?? '', 3]])}
                  </>
                ) : (
                  <tr>
                    <td colSpan={4} className="jk-c">
                      {helper === undefined ? '…' : none}
                    </td>
                  </tr>
                )}
              </FieldTable>
            </>
          )}

          {visits === null ? null : (
            <>
              <h2>{t('print.visits')}</h2>
              <ListTable
                rows={visits}
                none={none}
                columns={[
                  { title: t('print.visitedOn'), width: 14, className: 'jk-c jk-nowrap', cell: (v) => v.visitedOn },
                  { title: t('print.visitor'), width: 13, className: 'jk-c', cell: (v) => v.visitor },
                  { title: t('print.findings'), width: 43, cell: (v) => v.findings },
                  { title: t('print.followUp'), width: 30, cell: (v) => v.followUp ?? '' },
                ]}
              />
            </>
          )}

          <div className="jk-signs">
            <div className="jk-sign">{t('print.filler')}</div>
            <div className="jk-sign">{t('print.reviewer')}</div>
            <div className="jk-sign">{t('print.date')}</div>
          </div>
          <div className="jk-seal">{t('print.seal')}</div>
        </div>
      </div>
    </div>
  );
}
