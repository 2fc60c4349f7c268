import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Card, Empty, Flex, Progress, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { KeysetPager } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { RegionCascader } from '../../components/RegionCascader';
import { useT } from '../../i18n/context';
import { useAsync } from '../../lib/useAsync';
import { useKeysetPage } from '../../lib/useKeysetPage';

type Coverage = ResponseOf<'/api/households/pairing-coverage', 'get'>;
type CoverageLine = Coverage['items'][number];
type OverdueItem = ResponseOf<'/api/households/overdue-visits', 'get'>['items'][number];

/** Below 80 % red, below 100 % amber, complete green. */
const colourOf = (bp: number) => (bp < 8_000 ? '#ff4d4f' : bp < 10_000 ? '#faad14' : '#52c41a');

/** Basis points as a percentage with one decimal: 9876 → 98.7 (rounded down, so 100 only when complete). */
const percentOf = (bp: number) => Math.floor(bp / 10) / 10;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * 结对覆盖与走访: pairing coverage (一帮一) per filing organisation in a region of the user's scope,
 * gaps highlighted; and the households on file overdue for a visit (six calendar months).
 */
export default function CoveragePage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'overdue' ? 'overdue' : 'coverage';
  const regionCode = params.get('region') ?? undefined;

  const setParam = (key: string, value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader
        title={t('care.coverageTitle')}
        extra={
          <Flex align="center" gap={8}>
            <Typography.Text type="secondary">{t('care.region')}</Typography.Text>
            <div style={{ width: 280 }}>
              <RegionCascader value={regionCode} onChange={(code) => setParam('region', code)} data-testid="coverage-region" />
            </div>
          </Flex>
        }
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam('tab', key === 'overdue' ? 'overdue' : undefined)}
          items={[
            { key: 'coverage', label: t('care.tabCoverage'), children: <CoverageTab regionCode={regionCode} /> },
            { key: 'overdue', label: t('care.tabOverdue'), children: <OverdueTab regionCode={regionCode} /> },
          ]}
        />
      </Card>
    </>
  );
}

function useRegionError() {
  const t = useT();
  const { describe } = useApiError();
  return useCallback((err: unknown) => (err instanceof ApiError && err.status === 404 ? t('care.outOfScope') : describe(err)), [t, describe]);
}

function CoverageTab({ regionCode }: { regionCode?: string }) {
  const t = useT();
  const describeRegion = useRegionError();
  const [gapsOnly, setGapsOnly] = useState(false);
  const load = useCallback(() => unwrap(api.GET('/api/households/pairing-coverage', { params: { query: regionCode ? { regionCode } : {} } })), [regionCode]);
  const { data, error, loading } = useAsync(load, [load]);

  const columns = useMemo<TableColumnsType<CoverageLine>>(
    () => [
      {
        title: t('care.org'),
        dataIndex: 'orgName',
        ellipsis: true,
        render: (name: string, r) => (
          <Flex gap={8} align="center">
            <Typography.Text strong={r.paired < r.onFile}>{name || '—'}</Typography.Text>
          </Flex>
        ),
      },
      { title: t('care.onFile'), dataIndex: 'onFile', width: 100, align: 'right', sorter: (a, b) => a.onFile - b.onFile },
      { title: t('care.paired'), dataIndex: 'paired', width: 100, align: 'right' },
      {
        title: t('care.unpaired'),
        key: 'unpaired',
        width: 100,
        align: 'right',
        sorter: (a, b) => a.onFile - a.paired - (b.onFile - b.paired),
        render: (_: unknown, r) => (r.onFile - r.paired > 0 ? <Typography.Text type="danger" strong>{r.onFile - r.paired}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>),
      },
      {
        title: t('care.coverage'),
        dataIndex: 'percent',
        width: 260,
        sorter: (a, b) => a.percent - b.percent,
        render: (bp: number) => (
          <Progress
            percent={percentOf(bp)}
            size="small"
            strokeColor={colourOf(bp)}
            format={(p) => `${(p ?? 0).toFixed(1)}%`}
            style={{ margin: 0, minWidth: 180 }}
          />
        ),
      },
    ],
    [t],
  );

  if (error && !data) return <Alert type="warning" showIcon message={describeRegion(error)} data-testid="coverage-error" />;
  const rows = (data?.items ?? []).filter((r) => !gapsOnly || r.paired < r.onFile);
  const total = data?.total;
  const gaps = (data?.items ?? []).filter((r) => r.paired < r.onFile).length;

  return (
    <>
      {total ? (
        <Flex gap={24} wrap align="center" style={{ marginBottom: 16 }} data-testid="coverage-total">
          <Flex vertical gap={2}>
            <Typography.Text type="secondary">{t('care.total')}</Typography.Text>
            <Typography.Text style={{ fontSize: 24, fontWeight: 600 }}>{total.onFile === 0 ? '—' : `${percentOf(total.percent).toFixed(1)}%`}</Typography.Text>
          </Flex>
          <div style={{ flex: '1 1 280px', maxWidth: 480 }}>
            <Progress percent={percentOf(total.percent)} strokeColor={colourOf(total.percent)} showInfo={false} />
            <Typography.Text type="secondary">
              {t('care.onFile')} {total.onFile} · {t('care.paired')} {total.paired} · {t('care.unpaired')}{' '}
              <Typography.Text type={total.onFile - total.paired > 0 ? 'danger' : 'secondary'}>{total.onFile - total.paired}</Typography.Text>
            </Typography.Text>
          </div>
          <Flex gap={8} align="center" style={{ marginLeft: 'auto' }}>
            <Switch size="small" checked={gapsOnly} onChange={setGapsOnly} data-testid="coverage-gaps-only" />
            <Typography.Text>{t('care.gapsOnly')}</Typography.Text>
          </Flex>
        </Flex>
      ) : null}
      {total && total.onFile > 0 ? (
        gaps > 0 ? (
          <Alert type="warning" showIcon message={t('care.gapNote')} style={{ marginBottom: 16 }} />
        ) : (
          <Alert type="success" showIcon message={t('care.allCovered')} style={{ marginBottom: 16 }} />
        )
      ) : null}
      <Table<CoverageLine>
        rowKey="orgId"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        size="middle"
        tableLayout="fixed"
        scroll={{ x: 760 }}
        rowClassName={(r) => (r.paired < r.onFile ? 'coverage-gap' : '')}
        onRow={(r) => (r.paired < r.onFile ? { style: { background: 'rgba(255, 77, 79, 0.04)' } } : {})}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('care.noneOnFile')} /> }}
        data-testid="coverage-table"
      />
    </>
  );
}

function OverdueTab({ regionCode }: { regionCode?: string }) {
  const t = useT();
  const describeRegion = useRegionError();
  const [asOf, setAsOf] = useState<string | null>(null);
  const fetchPage = useCallback(
    async (cursor: string | undefined) => {
      const res = await unwrap(api.GET('/api/households/overdue-visits', { params: { query: { ...(regionCode ? { regionCode } : {}), ...(cursor ? { cursor } : {}), limit: 50 } } }));
      setAsOf(res.today);
      return res;
    },
    [regionCode],
  );
  const list = useKeysetPage<OverdueItem>(fetchPage, regionCode ?? '');
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => setFailure(list.error ? describeRegion(list.error) : null), [list.error, describeRegion]);

  const columns = useMemo<TableColumnsType<OverdueItem>>(
    () => [
      {
        title: t('care.fileNo'),
        dataIndex: 'fileNo',
        width: 190,
        render: (v: string, r) => (
          <Link to={`/households/${r.id}`} style={{ fontFamily: 'monospace' }}>
            {v}
          </Link>
        ),
      },
      { title: t('care.headName'), dataIndex: 'headName', width: 100, ellipsis: true },
      { title: t('care.region'), dataIndex: 'regionName', width: 110, ellipsis: true },
      {
        title: t('care.lastVisit'),
        dataIndex: 'lastVisitOn',
        width: 120,
        render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('visit.never')}</Typography.Text>,
      },
      {
        title: t('care.dueBy'),
        dataIndex: 'dueBy',
        width: 190,
        render: (v: string) => (
          <Flex gap={6} align="center" wrap>
            <span>{v}</span>
            {asOf ? <Tag color="error">{t('care.overdueDays', { n: daysBetween(v, asOf) })}</Tag> : null}
          </Flex>
        ),
      },
      { title: t('care.helper'), dataIndex: 'helperPerson', width: 100, ellipsis: true, render: (v: string | null) => v ?? <Typography.Text type="danger">{t('pair.none')}</Typography.Text> },
    ],
    [t, asOf],
  );

  return (
    <>
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('care.overdueIntro')}
        </Typography.Text>
        {asOf ? <Typography.Text type="secondary">{t('care.asOf', { date: asOf })}</Typography.Text> : null}
      </Flex>
      {failure ? <Alert type="warning" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="overdue-error" /> : null}
      <Table<OverdueItem>
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        size="middle"
        tableLayout="fixed"
        scroll={{ x: 810 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('care.noOverdue')} /> }}
        data-testid="overdue-table"
      />
      <KeysetPager list={list} testIdPrefix="overdue" />
    </>
  );
}
