import { useEffect, useMemo, useState } from 'react';
import { Button, Flex, Select, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useI18n } from '../../i18n/context';
import { FUND_TYPES, type FundBalance, fundTypeLabel, fundTypeOptions, Money, sourceLabel, sumFen, useFundCodes, yuan } from './shared';
import { FundOrgSelect } from './OrgSelect';

const LEVELS = ['national', 'province', 'city', 'county', 'grassroots'];
/** Down the tree: the province, then its cities, counties and grassroots bodies, by region code; then by fund type as listed. */
const byTree = (a: FundBalance, b: FundBalance) =>
  LEVELS.indexOf(a.orgLevel) - LEVELS.indexOf(b.orgLevel) ||
  (a.regionCode ?? '').localeCompare(b.regionCode ?? '') ||
  a.orgName.localeCompare(b.orgName, 'zh-CN') ||
  FUND_TYPES.indexOf(a.fundType as never) - FUND_TYPES.indexOf(b.fundType as never);

export interface OverviewFilters {
  orgId?: string;
  fundType?: string;
}

/** 资金总览: per organisation and fund type, available, reserved, paid and received (by source on hover). */
export function OverviewTab({
  filters,
  onFilters,
  version,
  onStatement,
  onEntries,
}: {
  filters: OverviewFilters;
  onFilters: (f: OverviewFilters) => void;
  version: number;
  onStatement: (b: FundBalance) => void;
  onEntries: (b: FundBalance) => void;
}) {
  const { t } = useI18n();
  const { showError } = useApiError();
  const codes = useFundCodes();
  const [items, setItems] = useState<FundBalance[]>([]);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    unwrap(api.GET('/api/funds', { params: { query: { ...(filters.orgId ? { orgId: filters.orgId } : {}), ...(filters.fundType ? { fundType: filters.fundType as never } : {}) } } }))
      .then((r) => !cancelled && setItems([...r.items].sort(byTree)))
      .catch((err: unknown) => !cancelled && showError(err))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [filters.orgId, filters.fundType, version, showError]);

  const columns = useMemo<TableColumnsType<FundBalance>>(
    () => [
      { title: t('fund.col.org'), key: 'org', render: (_: unknown, b) => b.orgName },
      { title: t('fund.col.fundType'), key: 'type', render: (_: unknown, b) => fundTypeLabel(t, b.fundType) },
      { title: t('fund.col.available'), key: 'available', align: 'right', render: (_: unknown, b) => <Money fen={b.availableFen} strong /> },
      { title: t('fund.col.reserved'), key: 'reserved', align: 'right', render: (_: unknown, b) => <Money fen={b.reservedFen} /> },
      { title: t('fund.col.paid'), key: 'paid', align: 'right', render: (_: unknown, b) => <Money fen={b.paidFen} /> },
      {
        title: t('fund.col.received'),
        key: 'received',
        align: 'right',
        render: (_: unknown, b) => {
          const sources = Object.entries(b.receivedFen).filter(([, v]) => v !== '0');
          const tip =
            sources.length === 0 ? (
              t('fund.overview.noReceipt')
            ) : (
              <div>
                <div style={{ marginBottom: 4, opacity: 0.8 }}>{t('fund.overview.bySource')}</div>
                {sources.map(([s, v]) => (
                  <Flex key={s} justify="space-between" gap={16}>
                    <span>{sourceLabel(t, s)}</span>
                    <span style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(v)}</span>
                  </Flex>
                ))}
              </div>
            );
          if (b.receivedTotalFen === '0' && sources.length === 0) return <Typography.Text type="secondary">0.00</Typography.Text>;
          return (
            <Tooltip title={tip}>
              <span style={{ borderBottom: '1px dashed #bfbfbf', cursor: 'help' }} data-testid={`fund-received-${b.orgId}-${b.fundType}`}>
                <Money fen={b.receivedTotalFen} />
              </span>
            </Tooltip>
          );
        },
      },
      {
        title: t('fund.col.actions'),
        key: 'actions',
        render: (_: unknown, b) => (
          <Flex gap={12} style={{ whiteSpace: 'nowrap' }}>
            <Typography.Link onClick={() => onStatement(b)} data-testid={`fund-statement-${b.orgId}-${b.fundType}`}>
              {t('fund.overview.statement')}
            </Typography.Link>
            <Typography.Link onClick={() => onEntries(b)}>{t('fund.overview.entries')}</Typography.Link>
          </Flex>
        ),
      },
    ],
    [t, onStatement, onEntries],
  );

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <div style={{ width: 260 }}>
          <FundOrgSelect value={filters.orgId} onChange={(orgId) => onFilters({ ...filters, orgId })} allowClear placeholder={t('fund.filter.org')} data-testid="fund-overview-org" />
        </div>
        <Select
          allowClear
          placeholder={t('fund.filter.fundType')}
          style={{ width: 240 }}
          value={filters.fundType}
          onChange={(fundType) => onFilters({ ...filters, fundType })}
          options={fundTypeOptions(t, codes.fundTypes)}
          data-testid="fund-overview-type"
        />
        {(filters.orgId || filters.fundType) && <Button onClick={() => onFilters({})}>{t('common.reset')}</Button>}
        <Typography.Text type="secondary" style={{ marginInlineStart: 'auto' }}>
          {t('fund.unit')}
        </Typography.Text>
      </Flex>
      <Table<FundBalance>
        rowKey={(b) => `${b.orgId}:${b.fundType}`}
        dataSource={items}
        loading={loading}
        columns={columns}
        size="middle"
        pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('fund.overview.empty') }}
        data-testid="fund-overview-table"
        summary={(rows) =>
          rows.length > 1 ? (
            <Table.Summary.Row style={{ background: '#fafafa' }}>
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>{t('fund.overview.total')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                <Money fen={sumFen(rows.map((r) => r.availableFen))} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <Money fen={sumFen(rows.map((r) => r.reservedFen))} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <Money fen={sumFen(rows.map((r) => r.paidFen))} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <Money fen={sumFen(rows.map((r) => r.receivedTotalFen))} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} />
            </Table.Summary.Row>
          ) : undefined
        }
      />
    </>
  );
}
