import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Card, Flex, Segmented, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useI18n } from '../../i18n/context';
import { type Cycle, type CycleLine, LINE_STATUSES, type LineStatus, LineStatusTag, yuan } from './shared';

const PAGE = 100;
type Filter = 'all' | LineStatus;

/** The cycle's lines in line order, a page at a time ("load more"), by status; failed lines show their reason. */
export function CycleLines({ cycle }: { cycle: Cycle }) {
  const { t } = useI18n();
  const { showError } = useApiError();
  const [filter, setFilter] = useState<Filter>('all');
  const [items, setItems] = useState<CycleLine[]>([]);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);

  const fetchLines = useCallback(
    (after: number | undefined) =>
      unwrap(api.GET('/api/payments/cycles/{id}/lines', { params: { path: { id: cycle.id }, query: { limit: PAGE, ...(after !== undefined ? { after } : {}), ...(filter === 'all' ? {} : { status: filter }) } } })),
    [cycle.id, filter],
  );

  // first page again whenever the filter or the cycle (its status, its lines) changes
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    fetchLines(undefined)
      .then((r) => {
        if (cancelled) return;
        setItems(r.items);
        setNextAfter(r.nextAfter);
      })
      .catch((err: unknown) => !cancelled && showError(err))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [fetchLines, cycle.version, cycle.status, cycle.lineCount, showError]);

  const more = async () => {
    if (nextAfter === null) return;
    setLoading(true);
    try {
      const r = await fetchLines(nextAfter);
      setItems((prev) => [...prev, ...r.items]);
      setNextAfter(r.nextAfter);
    } catch (err) {
      showError(err);
    } finally {
      setLoading(false);
    }
  };

  const columns = useMemo<TableColumnsType<CycleLine>>(
    () => [
      { title: t('pay.l.no'), dataIndex: 'lineNo', width: 64, align: 'right' },
      {
        title: t('pay.l.fileNo'),
        key: 'fileNo',
        width: 190,
        render: (_: unknown, l) => (
          <Flex vertical gap={2}>
            <Link to={`/households/${l.householdId}`} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
              {l.fileNo}
            </Link>
            {l.carriedFromCycle ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('pay.l.carried', { period: l.forPeriod })}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
      },
      { title: t('pay.l.payee'), dataIndex: 'payeeName', width: 100 },
      {
        title: t('pay.l.bank'),
        key: 'bank',
        width: 250,
        render: (_: unknown, l) =>
          l.bankAccountMasked ? (
            <Flex vertical gap={2}>
              <span>{l.bankName ?? ''}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                {l.bankAccountMasked}
              </Typography.Text>
            </Flex>
          ) : (
            <Typography.Text type="warning">{t('pay.l.noAccount')}</Typography.Text>
          ),
      },
      {
        title: t('pay.l.amount'),
        key: 'amount',
        width: 120,
        align: 'right',
        render: (_: unknown, l) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(l.amountFen)}</span>,
      },
      {
        title: t('pay.l.status'),
        key: 'status',
        width: 240,
        render: (_: unknown, l) => (
          <Flex vertical gap={2} align="start">
            <LineStatusTag status={l.status} t={t} />
            {l.status === 'failed' && l.failReason ? (
              <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`pay-line-reason-${l.lineNo}`}>
                {l.failReason}
              </Typography.Text>
            ) : null}
            {l.bankSerial ? (
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                {t('pay.l.serial', { serial: l.bankSerial })}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
      },
    ],
    [t],
  );

  return (
    <Card
      title={t('pay.l.title')}
      extra={
        <Segmented<Filter>
          size="small"
          value={filter}
          onChange={setFilter}
          options={(['all', ...LINE_STATUSES] as Filter[]).map((s) => ({ value: s, label: s === 'all' ? t('pay.l.all') : t(`pay.line.${s}`) }))}
          data-testid="pay-lines-filter"
        />
      }
    >
      <Table<CycleLine>
        rowKey="lineNo"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: cycle.status === 'generating' ? t('pay.l.generating') : t('pay.l.empty') }}
        onRow={(l) => ({ style: l.status === 'failed' ? { background: '#fff2f0' } : undefined, 'data-testid': `pay-line-${l.lineNo}`, 'data-status': l.status }) as HTMLAttributes<HTMLElement>}
        data-testid="pay-lines"
      />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('pay.l.shown', { n: items.length })}
        </Typography.Text>
        {nextAfter !== null ? (
          <Button onClick={() => void more()} loading={loading} data-testid="pay-lines-more">
            {t('pay.l.more')}
          </Button>
        ) : null}
      </Flex>
    </Card>
  );
}
