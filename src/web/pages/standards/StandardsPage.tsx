import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Flex, Popconfirm, Progress, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { unwrap, unwrapVoid } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetTable } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { RegionCascader } from '../../components/RegionCascader';
import { useT } from '../../i18n/context';
import { useJob } from '../../lib/jobs';
import { fenToYuan } from '../../lib/money';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { ForbiddenPage } from '../ForbiddenPage';
import { StandardCreateModal, type CreatedStandard } from './StandardCreateModal';

type Standard = ResponseOf<'/api/standards', 'get'>['items'][number];
type Status = 'current' | 'future' | 'past';

/** 10000 bp → '1', 15000 → '1.5'. */
const multiple = (bp: number) => String(bp / 10_000);
/** The line itself in fen, rounded down like the server's reason lines. */
const lineFen = (dibaoFen: string, bp: number) => ((BigInt(dibaoFen) * BigInt(bp)) / 10_000n).toString();

/**
 * In force, upcoming or replaced, from the order the list comes in (by region, newest first):
 * in each region the first standard not dated ahead is the one in force.
 */
function statuses(items: readonly Standard[]): Map<string, Status> {
  const out = new Map<string, Status>();
  const seen = new Set<string>();
  for (const s of items) {
    if (s.deletable) out.set(s.id, 'future');
    else if (seen.has(s.regionCode)) out.set(s.id, 'past');
    else {
      seen.add(s.regionCode);
      out.set(s.id, 'current');
    }
  }
  return out;
}

/** A column title with its unit in small type beneath. */
function Titled({ title, unit }: { title: string; unit: string }) {
  return (
    <Flex vertical>
      <span>{title}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
        {unit}
      </Typography.Text>
    </Flex>
  );
}

/** 地方标准: the standards that apply in the user's scope, by region; administrators add new ones. */
export default function StandardsPage() {
  const t = useT();
  const { can } = useAuth();
  const { message } = App.useApp();
  const { showError } = useApiError();
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const { job, follow, reset } = useJob();
  const manage = can('standard.manage');

  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/standards', { params: { query: { ...(regionCode ? { regionCode } : {}), ...(cursor ? { cursor } : {}) } } })),
    [regionCode],
  );
  const list = useKeysetPage<Standard>(fetchPage, regionCode ?? '');
  const status = useMemo(() => statuses(list.items), [list.items]);

  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const remove = async (s: Standard) => {
    try {
      await unwrapVoid(api.DELETE('/api/standards/{id}', { params: { path: { id: s.id } } }));
      void message.success(t('std.deleted'));
      list.reload();
    } catch (err) {
      showError(err);
    }
  };

  const created = (r: CreatedStandard) => {
    setCreating(false);
    list.reload();
    if (!r.job) {
      void message.success(t('std.createdNoJob'));
      return;
    }
    const first = r.job;
    void follow(async () => first).catch(showError);
  };

  const columns = useMemo<TableColumnsType<Standard>>(() => {
    const tags: Record<Status, { color?: string; label: string }> = {
      current: { color: 'green', label: t('std.statusCurrent') },
      future: { color: 'blue', label: t('std.statusFuture') },
      past: { label: t('std.statusPast') },
    };
    return [
      {
        title: t('std.region'),
        key: 'region',
        render: (_: unknown, s) => (
          <Flex vertical>
            <Typography.Text strong>{s.regionName}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {s.regionCode}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: t('std.effectiveFrom'),
        key: 'from',
        render: (_: unknown, s) => {
          const tag = tags[status.get(s.id) ?? 'past'];
          return (
            <Flex gap={8} align="center" wrap={false}>
              <span>{s.effectiveFrom}</span>
              <Tag color={tag.color} data-testid={`standard-status-${s.id}`}>
                {tag.label}
              </Tag>
            </Flex>
          );
        },
      },
      {
        title: <Titled title={t('std.dibaoLine')} unit={t('std.dibaoLineUnit')} />,
        dataIndex: 'dibaoLineFen',
        align: 'right',
        render: (v: string) => fenToYuan(v),
      },
      {
        title: <Titled title={t('std.minWage')} unit={t('std.minWageUnit')} />,
        dataIndex: 'minWageFen',
        align: 'right',
        render: (v: string) => fenToYuan(v),
      },
      {
        title: <Titled title={t('std.deepLine')} unit={t('std.dibaoLineUnit')} />,
        key: 'deep',
        align: 'right',
        render: (_: unknown, s) => (
          <Flex vertical align="end">
            <span>{fenToYuan(lineFen(s.dibaoLineFen, s.deepMultipleBp))}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('std.multipleOf', { x: multiple(s.deepMultipleBp) })}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: <Titled title={t('std.relativeLine')} unit={t('std.dibaoLineUnit')} />,
        key: 'relative',
        align: 'right',
        render: (_: unknown, s) => (
          <Flex vertical align="end">
            <span>{fenToYuan(lineFen(s.dibaoLineFen, s.relativeMultipleBp))}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('std.multipleOf', { x: multiple(s.relativeMultipleBp) })}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: <Titled title={t('std.accidentRatio')} unit={t('std.accidentUnit')} />,
        dataIndex: 'accidentRatioBp',
        align: 'right',
        responsive: ['lg'],
        render: (bp: number) => `${bp / 100}%`,
      },
      {
        title: <Titled title={t('std.laidOffAllowance')} unit={t('std.minWageUnit')} />,
        dataIndex: 'laidOffAllowanceFen',
        align: 'right',
        responsive: ['xl'],
        render: (v: string | null) => (v ? fenToYuan(v) : '—'),
      },
      {
        title: t('std.note'),
        dataIndex: 'note',
        width: 180,
        ellipsis: { showTitle: true },
        responsive: ['xl'],
        render: (v: string | null) => v ?? '',
      },
      ...(manage
        ? [
            {
              title: t('common.actions'),
              key: 'actions',
              width: 80,
              fixed: 'right' as const,
              render: (_: unknown, s: Standard) =>
                s.deletable ? (
                  <Popconfirm title={t('std.deleteConfirm')} onConfirm={() => remove(s)} okText={t('std.delete')} cancelText={t('common.cancel')}>
                    <Button type="link" size="small" danger data-testid={`standard-delete-${s.id}`}>
                      {t('std.delete')}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]
        : []),
    ];
    // `remove` closes over stable values only (t, message, showError, list.reload)
  }, [t, status, manage]);

  if (!can('household.read') && !manage) return <ForbiddenPage />;

  const running = job !== null && (job.status === 'queued' || job.status === 'running');

  return (
    <>
      <PageHeader
        title={t('std.title')}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="standard-create">
              {t('std.create')}
            </Button>
          ) : null
        }
      />
      {job ? (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={running ? 'info' : job.status === 'succeeded' ? 'success' : 'error'}
          closable={running ? false : { onClose: reset }}
          data-testid="standard-job"
          data-status={job.status}
          title={
            running
              ? t('std.reclassifying')
              : job.status === 'succeeded'
                ? t('std.reclassified', { n: (job.result as { reclassified?: number } | null)?.reclassified ?? job.progressDone })
                : t('std.reclassifyFailed', { error: job.error ?? job.status })
          }
          description={
            running ? (
              <Progress
                percent={job.percent ?? 0}
                status="active"
                size="small"
                format={() => `${job.progressDone.toLocaleString()} / ${job.progressTotal?.toLocaleString() ?? '…'}`}
                data-testid="standard-job-progress"
              />
            ) : undefined
          }
        />
      ) : null}
      <Card>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('std.intro')}
          {manage ? null : (
            <>
              <br />
              {t('std.readOnlyHint')}
            </>
          )}
        </Typography.Paragraph>
        <Flex gap={8} align="center" wrap style={{ marginBottom: 16 }}>
          <Typography.Text>{t('std.filterRegion')}</Typography.Text>
          <div style={{ width: 320, maxWidth: '100%' }}>
            <RegionCascader value={regionCode} onChange={setRegionCode} data-testid="standard-filter-region" />
          </div>
        </Flex>
        <KeysetTable<Standard> list={list} columns={columns} emptyText={t('std.empty')} testIdPrefix="standard" />
      </Card>
      <StandardCreateModal open={creating} onClose={() => setCreating(false)} onCreated={created} />
    </>
  );
}
