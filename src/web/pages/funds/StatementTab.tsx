import { useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Empty, Flex, Segmented, Select, Spin, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { accountLabel, chinaToday, fundTypeLabel, fundTypeOptions, KindTag, Money, type Statement, useFundCodes } from './shared';
import { FundOrgSelect } from './OrgSelect';

export interface StatementFilters {
  orgId?: string;
  fundType?: string;
  kind?: 'available' | 'reserved' | 'paid';
  month?: string;
}

// Printing shows the statement alone: everything else on the page is hidden.
const PRINT_CSS = `
.jk-statement table { width: 100%; border-collapse: collapse; }
.jk-statement th, .jk-statement td { border-bottom: 1px solid #f0f0f0; padding: 8px 10px; text-align: left; vertical-align: top; }
.jk-statement th { background: #fafafa; font-weight: 600; white-space: nowrap; }
.jk-statement td.num, .jk-statement th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.jk-statement tr.jk-edge td { background: #fafafa; font-weight: 600; }
.jk-statement .jk-printed { display: none; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  /* the statement alone: everything that neither is it nor holds it goes; what holds it loses its chrome */
  body *:not(:has(.jk-statement)):not(.jk-statement):not(.jk-statement *) { display: none !important; }
  html:has(.jk-statement), body:has(.jk-statement), *:has(> .jk-statement), *:has(.jk-statement) {
    background: none !important; padding: 0 !important; margin: 0 !important; border: 0 !important; box-shadow: none !important;
    min-height: 0 !important; height: auto !important; width: auto !important; max-width: none !important; position: static !important; overflow: visible !important;
  }
  .jk-statement * { color: #000 !important; }
  .jk-statement th, .jk-statement td { border: 1px solid #000; padding: 1.2mm 1.6mm; font-size: 10pt; }
  .jk-statement th, .jk-statement tr.jk-edge td { background: none; }
  .jk-statement tr { break-inside: avoid; }
  .jk-statement thead { display: table-header-group; }
  .jk-statement .jk-printed { display: block; }
  .jk-statement .jk-st-actions { display: none !important; }
  .jk-statement .ant-tag { border: 0 !important; background: none !important; padding: 0 !important; }
}
`;

/** 对账单: an account's month, opening, lines with the running balance, closing; Excel and print. */
export function StatementTab({ filters, onFilters }: { filters: StatementFilters; onFilters: (f: StatementFilters) => void }) {
  const { t } = useI18n();
  const { showError } = useApiError();
  const codes = useFundCodes();
  const [statement, setStatement] = useState<Statement | null>(null);
  const [loading, setLoading] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const kind = filters.kind ?? 'available';
  const month = filters.month ?? chinaToday().slice(0, 7);
  const ready = Boolean(filters.orgId && filters.fundType);
  const query = { orgId: filters.orgId ?? '', fundType: filters.fundType ?? '', kind, month };

  useEffect(() => {
    setStatement(null);
    if (!filters.orgId || !filters.fundType) return;
    let cancelled = false;
    setLoading(true);
    unwrap(api.GET('/api/funds/statement', { params: { query: { orgId: filters.orgId, fundType: filters.fundType, kind, month } } }))
      .then((s) => !cancelled && setStatement(s))
      .catch((err: unknown) => !cancelled && showError(err))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [filters.orgId, filters.fundType, kind, month, showError]);

  const download = async () => {
    setDownloading(true);
    try {
      const blob = await unwrap(api.GET('/api/funds/statement.xlsx', { params: { query }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `资金对账单_${statement?.orgName ?? ''}_${fundTypeLabel(t, query.fundType)}_${month}.xlsx`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      showError(err);
    } finally {
      setDownloading(false);
    }
  };

  const lastDay = statement ? dayjs(statement.to).subtract(1, 'day').format('YYYY-MM-DD') : '';

  return (
    <>
      <style>{PRINT_CSS}</style>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <div style={{ width: 260 }}>
          <FundOrgSelect value={filters.orgId} onChange={(orgId) => onFilters({ ...filters, orgId })} placeholder={t('fund.st.org')} data-testid="fund-st-org" />
        </div>
        <Select
          placeholder={t('fund.st.fundType')}
          style={{ width: 240 }}
          value={filters.fundType}
          onChange={(fundType) => onFilters({ ...filters, fundType })}
          options={fundTypeOptions(t, codes.fundTypes)}
          data-testid="fund-st-type"
        />
        <Segmented
          value={kind}
          onChange={(k) => onFilters({ ...filters, kind: k as StatementFilters['kind'] })}
          options={(['available', 'reserved', 'paid'] as const).map((k) => ({ value: k, label: accountLabel(t, k) }))}
          data-testid="fund-st-kind"
        />
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          onChange={(d) => d && onFilters({ ...filters, month: d.format('YYYY-MM') })}
          disabledDate={(d) => d.isAfter(dayjs(chinaToday()), 'month')}
          style={{ width: 130 }}
          data-testid="fund-st-month"
        />
      </Flex>

      {!ready && <Empty description={t('fund.st.pick')} />}
      {ready && loading && !statement && (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      )}
      {statement && (
        <div className="jk-statement" data-testid="fund-statement">
          <Flex justify="space-between" align="flex-end" gap={12} wrap style={{ marginBottom: 12 }}>
            <div>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('fund.st.title', { org: statement.orgName, fundType: fundTypeLabel(t, statement.fundType), account: accountLabel(t, statement.kind) })}
              </Typography.Title>
              <Typography.Text type="secondary">{t('fund.st.period', { from: statement.from, to: lastDay })}</Typography.Text>
            </div>
            <Flex gap={8} className="jk-st-actions">
              <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void download()} data-testid="fund-st-download">
                {t('fund.st.download')}
              </Button>
              <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="fund-st-print">
                {t('fund.st.print')}
              </Button>
            </Flex>
          </Flex>
          {statement.truncated && <Alert type="warning" showIcon message={t('fund.st.truncated')} style={{ marginBottom: 12 }} />}
          <table>
            <thead>
              <tr>
                <th style={{ width: 110 }}>{t('fund.col.date')}</th>
                <th style={{ width: 90 }}>{t('fund.col.kind')}</th>
                <th>{t('fund.col.reference')}</th>
                <th style={{ width: 170 }}>{t('fund.col.by')}</th>
                <th className="num" style={{ width: 140 }}>
                  {t('fund.col.in')}
                </th>
                <th className="num" style={{ width: 140 }}>
                  {t('fund.col.out')}
                </th>
                <th className="num" style={{ width: 150 }}>
                  {t('fund.col.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr className="jk-edge">
                <td>{statement.from}</td>
                <td colSpan={5}>{t('fund.st.opening')}</td>
                <td className="num" data-testid="fund-st-opening">
                  <Money fen={statement.openingFen} />
                </td>
              </tr>
              {statement.lines.length === 0 && (
                <tr>
                  <td colSpan={7} style={{ textAlign: 'center', color: '#8c8c8c' }}>
                    {t('fund.st.noLines')}
                  </td>
                </tr>
              )}
              {statement.lines.map((l) => (
                <tr key={l.entryId}>
                  <td style={{ whiteSpace: 'nowrap' }}>{l.occurredOn}</td>
                  <td>
                    <KindTag kind={l.kind} t={t} />
                  </td>
                  <td>
                    {l.reference && <div>{l.reference}</div>}
                    {l.memo && <div style={{ color: '#8c8c8c', fontSize: 12 }}>{l.memo}</div>}
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>{l.byName}</td>
                  <td className="num">{l.amountFen.startsWith('-') ? '' : <Money fen={l.amountFen} />}</td>
                  <td className="num">{l.amountFen.startsWith('-') ? <Money fen={l.amountFen.slice(1)} /> : ''}</td>
                  <td className="num">
                    <Money fen={l.balanceFen} />
                  </td>
                </tr>
              ))}
              <tr className="jk-edge">
                <td>{lastDay}</td>
                <td colSpan={5}>{t('fund.st.closing')}</td>
                <td className="num" data-testid="fund-st-closing">
                  <Money fen={statement.closingFen} strong />
                </td>
              </tr>
            </tbody>
          </table>
          <div className="jk-printed" style={{ marginTop: 12, fontSize: 12 }}>
            {t('fund.st.printedAt', { at: formatDateTime(new Date().toISOString(), true) })}
          </div>
        </div>
      )}
    </>
  );
}
