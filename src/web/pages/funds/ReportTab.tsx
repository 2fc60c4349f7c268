import { useEffect, useMemo, useState } from 'react';
import { Flex, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useI18n } from '../../i18n/context';
import { chinaToday, fundTypeLabel, Money, type RaisedVsPaid, sourceLabel, SOURCES } from './shared';

type Row = RaisedVsPaid['items'][number];

/** 筹集与发放: funds received this year by source against funds paid this year, per fund type. */
export function ReportTab() {
  const { t } = useI18n();
  const { showError } = useApiError();
  const thisYear = Number(chinaToday().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [data, setData] = useState<RaisedVsPaid | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    unwrap(api.GET('/api/funds/raised-vs-paid', { params: { query: { year } } }))
      .then((r) => !cancelled && setData(r))
      .catch((err: unknown) => !cancelled && showError(err))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [year, showError]);

  // Only the sources that moved money this year get a column.
  const sources = useMemo(() => SOURCES.filter((s) => data && (data.totals.receivedFen[s] ?? '0') !== '0'), [data]);

  const cell = (fen: string | undefined) => (fen && fen !== '0' ? <Money fen={fen} /> : <Typography.Text type="secondary">{t('fund.report.none')}</Typography.Text>);

  const columns = useMemo<TableColumnsType<Row>>(
    () => [
      { title: t('fund.col.fundType'), key: 'type', fixed: 'left', render: (_: unknown, r) => fundTypeLabel(t, r.fundType) },
      ...sources.map((s) => ({ title: sourceLabel(t, s), key: s, align: 'right' as const, render: (_: unknown, r: Row) => cell(r.receivedFen[s]) })),
      { title: t('fund.col.receivedTotal'), key: 'total', align: 'right', render: (_: unknown, r) => cell(r.receivedTotalFen) },
      { title: t('fund.col.paidYear'), key: 'paid', align: 'right', render: (_: unknown, r) => cell(r.paidFen) },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, sources],
  );

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <span>{t('fund.report.year')}</span>
        <Select
          value={year}
          onChange={setYear}
          style={{ width: 110 }}
          options={Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: String(y) }))}
          data-testid="fund-report-year"
        />
        <Typography.Text type="secondary">{t('fund.report.intro', { year })}</Typography.Text>
      </Flex>
      <Table<Row>
        rowKey="fundType"
        dataSource={data?.items ?? []}
        loading={loading}
        columns={columns}
        size="middle"
        pagination={false}
        data-testid="fund-report-table"
        summary={() =>
          data ? (
            <Table.Summary.Row style={{ background: '#fafafa' }}>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('fund.report.total')}</Typography.Text>
              </Table.Summary.Cell>
              {sources.map((s, i) => (
                <Table.Summary.Cell key={s} index={i + 1} align="right">
                  <Money fen={data.totals.receivedFen[s] ?? '0'} strong />
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={sources.length + 1} align="right">
                <Money fen={data.totals.receivedTotalFen} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={sources.length + 2} align="right">
                <Money fen={data.totals.paidFen} strong />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : undefined
        }
      />
    </>
  );
}
