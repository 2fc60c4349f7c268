import { Alert, Button, Card, Flex, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { useI18n } from '../../i18n/context';
import type { Reconciliation } from './paymentsApi';
import { yuan } from './shared';

interface Row {
  key: string;
  label: string;
  count: number | null;
  fen: string;
  strong?: boolean;
}

/** 对账: lines against bank results against the ledger, to the fen. */
export function ReconciliationCard({ data, loading, onRefresh }: { data: Reconciliation | null; loading: boolean; onRefresh: () => void }) {
  const { t } = useI18n();
  const rows: Row[] = data
    ? [
        { key: 'lines', label: t('pay.rec.lines'), count: data.lines.count, fen: data.lines.totalFen, strong: true },
        { key: 'paid', label: t('pay.rec.paid'), count: data.paid.count, fen: data.paid.totalFen },
        { key: 'failed', label: t('pay.rec.failed'), count: data.failed.count, fen: data.failed.totalFen },
        { key: 'pending', label: t('pay.rec.pending'), count: data.pending.count, fen: data.pending.totalFen },
        { key: 'reserved', label: t('pay.rec.reserved'), count: null, fen: data.ledger.reservedFen, strong: true },
        { key: 'ledgerPaid', label: t('pay.rec.ledgerPaid'), count: null, fen: data.ledger.paidFen },
        { key: 'returned', label: t('pay.rec.returned'), count: null, fen: data.ledger.returnedFen },
      ]
    : [];
  const columns: TableColumnsType<Row> = [
    { title: t('pay.rec.item'), dataIndex: 'label', render: (v: string, r) => (r.strong ? <Typography.Text strong>{v}</Typography.Text> : <span style={{ paddingInlineStart: 16 }}>{v}</span>) },
    { title: t('pay.rec.count'), dataIndex: 'count', width: 90, align: 'right', render: (v: number | null) => (v === null ? '' : v.toLocaleString()) },
    { title: t('pay.rec.amount'), dataIndex: 'fen', width: 150, align: 'right', render: (v: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(v)}</span> },
  ];
  return (
    <Card
      title={
        <Flex gap={8} align="center">
          <span>{t('pay.rec.title')}</span>
          {data ? (
            <Tag color={data.balanced ? 'success' : 'error'} data-testid="pay-rec-balanced" data-balanced={String(data.balanced)}>
              {data.balanced ? t('pay.rec.balanced') : t('pay.rec.unbalanced')}
            </Tag>
          ) : null}
        </Flex>
      }
      extra={
        <Button size="small" icon={<ReloadOutlined />} loading={loading} onClick={onRefresh} data-testid="pay-reconcile">
          {t('pay.act.reconcile')}
        </Button>
      }
      style={{ marginBottom: 16 }}
      data-testid="pay-rec"
    >
      <div style={{ maxWidth: 720 }}>
        <Table<Row> rowKey="key" size="small" columns={columns} dataSource={rows} loading={loading && !data} pagination={false} />
      </div>
      {data && data.problems.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          message={t('pay.rec.problems')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {data.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
          data-testid="pay-rec-problems"
        />
      ) : null}
    </Card>
  );
}
