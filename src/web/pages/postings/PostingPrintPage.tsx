import { useCallback, useEffect } from 'react';
import { Button, Result, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useI18n } from '../../i18n/context';
import { useAsync } from '../../lib/useAsync';
import { sumFen, yuan } from './shared';

// 公示 notice for the notice board: A4, the items as the public sees them (masked name and ID number,
// region, detail, amount) and nothing else — no file number, no address, no objections.

const PRINT_CSS = `
.jk-print { background: #e9ecf1; min-height: 100%; padding: 24px 0 48px; }
.jk-print-bar { width: 210mm; margin: 0 auto 16px; display: flex; justify-content: space-between; gap: 8px; }
.jk-sheet { width: 210mm; min-height: 297mm; box-sizing: border-box; margin: 0 auto; padding: 18mm 16mm; background: #fff; color: #000;
  box-shadow: 0 2px 12px rgba(0,0,0,.15); font-family: 'SimSun', 'Songti SC', 'Noto Serif CJK SC', 'Source Han Serif SC', serif; font-size: 11pt; line-height: 1.6; }
.jk-sheet h1 { text-align: center; font-size: 18pt; margin: 0 0 6mm; font-weight: bold; }
.jk-sheet p { margin: 0 0 2mm; text-indent: 2em; }
.jk-sheet table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4mm 0; }
.jk-sheet th, .jk-sheet td { border: 1px solid #000; padding: 1.2mm 1.6mm; vertical-align: middle; overflow-wrap: anywhere; font-size: 10pt; }
.jk-sheet th { font-weight: normal; background: #f2f2f2; text-align: center; }
.jk-sheet td.jk-c { text-align: center; }
.jk-sheet td.jk-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.jk-sheet .jk-mono { font-family: 'Courier New', monospace; font-size: 9.5pt; white-space: nowrap; }
.jk-sheet tr { break-inside: avoid; page-break-inside: avoid; }
.jk-sheet thead { display: table-header-group; }
.jk-sheet .jk-note { font-size: 9.5pt; text-indent: 0; }
.jk-sheet .jk-sign { text-align: right; margin-top: 12mm; padding-right: 8mm; line-height: 2; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html, body, #root { background: #fff !important; height: auto; }
  .jk-print { background: #fff; padding: 0; }
  .jk-no-print { display: none !important; }
  .jk-sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  .jk-sheet th { background: none; }
  * { color: #000 !important; }
}
`;

/** A China date 'YYYY-MM-DD' as 2026年11月23日 (zh) or as is. */
const longDate = (day: string, zh: boolean) => (zh ? `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日` : day);

/** 公示 notice (route postings/:id/print, outside the app layout). */
export default function PostingPrintPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { describe } = useApiError();
  const { id = '' } = useParams();
  const zh = lang === 'zh-CN';
  const load = useCallback(() => unwrap(api.GET('/api/postings/{id}', { params: { path: { id } } })), [id]);
  const { data: p, error } = useAsync(load, [load]);

  useEffect(() => {
    if (p) document.title = p.title;
  }, [p]);

  const bar = (
    <div className="jk-print-bar jk-no-print">
      <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/postings/${id}`)}>
        {t('post.p.back')}
      </Button>
      <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!p} data-testid="posting-print-now">
        {t('post.p.print')}
      </Button>
    </div>
  );

  if (error || !p) {
    return (
      <div className="jk-print">
        <style>{PRINT_CSS}</style>
        {bar}
        <div className="jk-sheet" style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          {error ? <Result status="warning" title={describe(error)} /> : <Spin />}
        </div>
      </div>
    );
  }

  const money = p.kind === 'application';
  // Upheld items are withdrawn from the notice.
  const items = p.items.filter((i) => i.status !== 'upheld');
  const total = money ? sumFen(items.map((i) => i.amountFen)) : null;

  return (
    <div className="jk-print" data-testid="posting-print-sheet">
      <style>{PRINT_CSS}</style>
      {bar}
      <div className="jk-sheet">
        <h1>{p.title}</h1>
        <p>{t('post.p.intro')}</p>
        <table>
          <colgroup>
            <col style={{ width: '7%' }} />
            <col style={{ width: money ? '17%' : '20%' }} />
            <col style={{ width: '11%' }} />
            <col style={{ width: '24%' }} />
            <col />
            {money && <col style={{ width: '13%' }} />}
          </colgroup>
          <thead>
            <tr>
              <th>{t('post.col.seq')}</th>
              <th>{t('post.col.region')}</th>
              <th>{t('post.col.name')}</th>
              <th>{t('post.col.idNumber')}</th>
              <th>{t('post.col.detail')}</th>
              {money && <th>{t('post.col.amount')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((i, n) => (
              <tr key={i.id}>
                <td className="jk-c">{n + 1}</td>
                <td className="jk-c">{i.regionName ?? i.regionCode}</td>
                <td className="jk-c">{i.maskedName}</td>
                <td className="jk-c jk-mono">{i.maskedId}</td>
                <td>{zh ? i.detailZh : i.detailEn}</td>
                {money && <td className="jk-num">{yuan(i.amountFen)}</td>}
              </tr>
            ))}
            {money && total !== null && (
              <tr>
                <td className="jk-c" colSpan={5}>
                  {t('post.p.total', { n: items.length })}
                </td>
                <td className="jk-num">{yuan(total)}</td>
              </tr>
            )}
          </tbody>
        </table>
        <p>{t('post.p.period', { start: longDate(p.startsOn, zh), end: longDate(p.endsOn, zh) })}</p>
        <p>{t('post.p.objection', { org: p.orgName })}</p>
        <p className="jk-note">{t('post.p.masked')}</p>
        <div className="jk-sign">
          <div>{p.orgName}</div>
          <div>{longDate(p.startsOn, zh)}</div>
        </div>
      </div>
    </div>
  );
}
