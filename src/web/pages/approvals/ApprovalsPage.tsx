import { useCallback, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { KeysetPager } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { labelOr, type PendingApproval, subjectPath } from './approvalsApi';
import { DecideModal } from './DecideModal';

const PAGE_SIZE = 20;

/** 待办审批: the approvals whose current step is the caller's to decide, oldest first. */
export default function ApprovalsPage() {
  const { t, has } = useI18n();
  const navigate = useNavigate();
  const { describe } = useApiError();
  const [deciding, setDeciding] = useState<PendingApproval | null>(null);

  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/approvals/pending', { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    [],
  );
  const list = useKeysetPage<PendingApproval>(fetchPage, 'pending');

  const columns = useMemo<TableColumnsType<PendingApproval>>(
    () => [
      {
        title: t('appr.kind'),
        dataIndex: 'subjectKind',
        width: 120,
        render: (v: string) => <Tag color="blue">{labelOr(t, has, `appr.kind.${v}`, v)}</Tag>,
      },
      {
        title: t('appr.subject'),
        dataIndex: 'subjectLabel',
        ellipsis: true,
        render: (v: string | null, a) => {
          const path = subjectPath(a.subjectKind, a.subjectId);
          const label = v ?? a.subjectId;
          return path ? (
            <Typography.Link onClick={() => navigate(path)} data-testid={`approval-subject-${a.id}`}>
              {label}
            </Typography.Link>
          ) : (
            label
          );
        },
      },
      { title: t('appr.region'), dataIndex: 'regionName', width: 160, ellipsis: true },
      { title: t('appr.maker'), key: 'maker', width: 130, ellipsis: true, render: (_: unknown, a) => a.maker.name },
      {
        title: t('appr.step'),
        key: 'step',
        width: 140,
        render: (_: unknown, a) => {
          const step = a.steps[a.currentStep];
          return (
            <Flex vertical gap={0}>
              <span>{t('appr.stepOf', { n: a.currentStep + 1, level: step ? t(`appr.level.${step.level}`) : '' })}</span>
              {a.round > 1 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('appr.round', { n: a.round })}
                </Typography.Text>
              ) : null}
            </Flex>
          );
        },
      },
      { title: t('appr.submittedAt'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatDateTime(v, true) },
      {
        title: t('appr.actions'),
        key: 'actions',
        width: 130,
        fixed: 'right',
        render: (_: unknown, a) => {
          const path = subjectPath(a.subjectKind, a.subjectId);
          return (
            <Flex gap={4}>
              {path ? (
                <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => navigate(path)}>
                  {t('appr.open')}
                </Button>
              ) : null}
              <Button type="primary" size="small" onClick={() => setDeciding(a)} data-testid={`approval-decide-${a.id}`}>
                {t('appr.decide')}
              </Button>
            </Flex>
          );
        },
      },
    ],
    [t, has, navigate],
  );

  const empty = !list.loading && !list.error && list.items.length === 0 && list.page === 1;

  return (
    <>
      <PageHeader
        title={t('appr.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} data-testid="approvals-reload">
            {t('appr.reload')}
          </Button>
        }
      />
      <Typography.Paragraph type="secondary">{t('appr.intro')}</Typography.Paragraph>
      {list.error ? <Alert type="error" showIcon message={describe(list.error)} style={{ marginBottom: 16 }} /> : null}
      <Card>
        {empty ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appr.empty')} data-testid="approvals-empty" />
        ) : (
          <>
            <Table<PendingApproval>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              scroll={{ x: 1050 }}
              data-testid="approvals-table"
            />
            <KeysetPager list={list} testIdPrefix="approvals" />
          </>
        )}
      </Card>
      <DecideModal
        open={deciding !== null}
        approval={deciding}
        subject={deciding ? (deciding.subjectLabel ?? labelOr(t, has, `appr.kind.${deciding.subjectKind}`, deciding.subjectKind)) : ''}
        onClose={() => setDeciding(null)}
        onDone={() => {
          setDeciding(null);
          list.reload();
        }}
        onConflict={list.reload}
      />
    </>
  );
}
