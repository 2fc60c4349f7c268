import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, Button, Card, Flex, Select, Typography } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetTable } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { NewCycleModal } from './NewCycleModal';
import { type Cycle, type CycleStatus, CycleStatusTag, type Programme, programmeName, STATUSES, yuan } from './shared';

/** 资金发放: the payment cycles of the user's scope, newest first. */
export default function PaymentsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { showError } = useApiError();
  const [status, setStatus] = useState<CycleStatus | undefined>(undefined);
  const [programmeId, setProgrammeId] = useState<string | undefined>(undefined);
  const [programmes, setProgrammes] = useState<Programme[]>([]);
  const [creating, setCreating] = useState(false);
  const mayManage = can('payment.manage');
  const [openFlags, setOpenFlags] = useState(0);

  useEffect(() => {
    unwrap(api.GET('/api/payments/flags', { params: { query: { status: 'open', limit: 100 } } }))
      .then((r) => setOpenFlags(r.items.length + (r.nextCursor ? 1 : 0)))
      .catch(() => setOpenFlags(0));
  }, []);

  useEffect(() => {
    unwrap(api.GET('/api/programmes', { params: { query: { includeInactive: true } } }))
      .then((r) => setProgrammes(r.items))
      .catch(showError);
  }, [showError]);

  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      unwrap(api.GET('/api/payments/cycles', { params: { query: { ...(status ? { status } : {}), ...(programmeId ? { programmeId } : {}), ...(cursor ? { cursor } : {}), limit: 20 } } })),
    [status, programmeId],
  );
  const list = useKeysetPage<Cycle>(fetchPage, `${status ?? ''}|${programmeId ?? ''}`);

  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const columns = useMemo<TableColumnsType<Cycle>>(
    () => [
      {
        title: t('pay.col.programme'),
        key: 'programme',
        render: (_: unknown, c) => (
          <Flex vertical gap={2}>
            <Link to={`/payments/${c.id}`} data-testid={`pay-link-${c.id}`}>
              <Typography.Text strong style={{ color: 'inherit' }}>
                {programmeName(c, lang)}
              </Typography.Text>
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.orgName} · {t(`pay.basis.${c.basis}`)}
            </Typography.Text>
          </Flex>
        ),
      },
      { title: t('pay.col.period'), dataIndex: 'period', width: 110, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
      { title: t('pay.col.lines'), key: 'lines', width: 90, align: 'right', render: (_: unknown, c) => (c.status === 'generating' ? '…' : c.lineCount.toLocaleString()) },
      {
        title: t('pay.col.total'),
        key: 'total',
        width: 140,
        align: 'right',
        render: (_: unknown, c) => <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{c.status === 'generating' ? '…' : yuan(c.totalFen)}</span>,
      },
      {
        title: t('pay.col.status'),
        key: 'status',
        width: 110,
        render: (_: unknown, c) => (
          <Flex vertical gap={2} align="start">
            <CycleStatusTag status={c.status} t={t} />
            {c.failedCount > 0 ? (
              <Typography.Text type="danger" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                {t('pay.failedN', { n: c.failedCount })}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
      },
      {
        title: t('pay.col.created'),
        key: 'created',
        width: 160,
        render: (_: unknown, c) => (
          <Flex vertical gap={2}>
            <span>{c.createdByName ?? ''}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {formatDateTime(c.createdAt, true)}
            </Typography.Text>
          </Flex>
        ),
      },
    ],
    [t, lang],
  );

  return (
    <>
      <PageHeader
        title={t('pay.title')}
        extra={
          <>
            <Badge count={openFlags} overflowCount={99} size="small" title={t('pay.flag.linkTitle', { n: openFlags > 99 ? '99+' : openFlags })}>
              <Button icon={<SafetyCertificateOutlined />} onClick={() => navigate('/payments/flags')} data-testid="pay-flags">
                {t('pay.flag.link')}
              </Button>
            </Badge>
            {mayManage ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="pay-create">
                {t('pay.create')}
              </Button>
            ) : null}
          </>
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('pay.intro')}
      </Typography.Paragraph>
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Select<CycleStatus>
            allowClear
            placeholder={t('pay.filter.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 160 }}
            options={STATUSES.map((s) => ({ value: s, label: t(`pay.status.${s}`) }))}
            data-testid="pay-filter-status"
          />
          <Select<string>
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('pay.filter.programme')}
            value={programmeId}
            onChange={setProgrammeId}
            style={{ width: 300 }}
            options={programmes.map((p) => ({ value: p.id, label: lang === 'zh-CN' ? p.nameZh : p.nameEn }))}
            data-testid="pay-filter-programme"
          />
        </Flex>
        <KeysetTable<Cycle>
          list={list}
          testIdPrefix="pay"
          columns={columns}
          emptyText={t('pay.empty')}
          onRow={(c) => ({ 'data-testid': `pay-row-${c.id}`, onDoubleClick: () => navigate(`/payments/${c.id}`) }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <NewCycleModal
        open={creating}
        onClose={() => {
          setCreating(false);
          list.reload();
        }}
        onCreated={(c) => {
          setCreating(false);
          navigate(`/payments/${c.id}`);
        }}
      />
    </>
  );
}
