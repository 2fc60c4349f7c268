import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Segmented, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
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
import { PublishPostingModal } from './PublishPostingModal';
import { kindLabel, PhaseTag, periodDays, type Posting } from './shared';

type StatusFilter = 'all' | 'open' | 'closed';

/** 公示管理: the postings of the user's scope, newest first, with those waiting on an objection called out. */
export default function PostingsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { showError } = useApiError();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [publishing, setPublishing] = useState(false);
  const [objected, setObjected] = useState<{ items: Posting[]; more: boolean } | null>(null);
  const mayPublish = can('application.approve') || can('household.approve');

  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/postings', { params: { query: { ...(status === 'all' ? {} : { status }), ...(cursor ? { cursor } : {}), limit: 20 } } })),
    [status],
  );
  const list = useKeysetPage(fetchPage, status);

  const loadObjected = useCallback(async () => {
    try {
      const r = await unwrap(api.GET('/api/postings', { params: { query: { objected: true, limit: 5 } } }));
      setObjected({ items: r.items, more: r.nextCursor !== null });
    } catch (err) {
      showError(err);
    }
  }, [showError]);

  useEffect(() => {
    void loadObjected();
  }, [loadObjected]);

  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const columns = useMemo<TableColumnsType<Posting>>(
    () => [
      {
        title: t('post.col.title'),
        key: 'title',
        render: (_: unknown, p) => (
          <Flex vertical gap={2}>
            <Link to={`/postings/${p.id}`} data-testid={`posting-link-${p.id}`}>
              <Typography.Text strong style={{ color: 'inherit' }}>
                {p.title}
              </Typography.Text>
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {kindLabel(t, p.kind)} · {p.orgName}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: t('post.col.period'),
        key: 'period',
        width: 210,
        render: (_: unknown, p) => (
          <Flex vertical gap={2}>
            <span style={{ whiteSpace: 'nowrap' }}>{t('post.period', { start: p.startsOn, end: p.endsOn })}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('post.days', { days: periodDays(p.startsOn, p.endsOn) })}
            </Typography.Text>
          </Flex>
        ),
      },
      { title: t('post.col.items'), key: 'items', width: 80, align: 'right', render: (_: unknown, p) => p.itemCount },
      {
        title: t('post.col.objections'),
        key: 'objections',
        width: 120,
        render: (_: unknown, p) =>
          p.objectedCount > 0 ? (
            <Tag color="warning" style={{ marginInlineEnd: 0 }}>
              {t('post.objectedCount', { n: p.objectedCount })}
            </Tag>
          ) : (
            <Typography.Text type="secondary">{t('post.noObjection')}</Typography.Text>
          ),
      },
      { title: t('post.col.status'), key: 'status', width: 90, render: (_: unknown, p) => <PhaseTag p={p} t={t} /> },
      {
        title: t('post.col.published'),
        key: 'published',
        width: 170,
        render: (_: unknown, p) => (
          <Flex vertical gap={2}>
            <span>{p.createdByName ?? ''}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(p.createdAt, true)}
            </Typography.Text>
          </Flex>
        ),
      },
    ],
    [t],
  );

  return (
    <>
      <PageHeader
        title={t('post.title')}
        extra={
          mayPublish ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setPublishing(true)} data-testid="posting-create">
              {t('post.create')}
            </Button>
          ) : undefined
        }
      />
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {t('post.intro')}
      </Typography.Paragraph>
      {objected && objected.items.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="postings-objected"
          message={
            <Flex gap={8} wrap align="baseline">
              <span>{t('post.objectedAlert', { n: objected.more ? `${objected.items.length}+` : objected.items.length })}</span>
              {objected.items.map((p) => (
                <Link key={p.id} to={`/postings/${p.id}`}>
                  {t('post.objectedLink', { title: p.title, n: p.objectedCount })}
                </Link>
              ))}
              {objected.more && <span>{t('post.objectedMore')}</span>}
            </Flex>
          }
        />
      )}
      <Card>
        <Segmented<StatusFilter>
          value={status}
          onChange={setStatus}
          style={{ marginBottom: 16 }}
          options={(['all', 'open', 'closed'] as const).map((s) => ({ value: s, label: t(`post.filter.${s}`) }))}
          data-testid="postings-status"
        />
        <KeysetTable<Posting>
          list={list}
          testIdPrefix="postings"
          columns={columns}
          emptyText={t('post.empty')}
          onRow={(p) => ({ 'data-testid': `postings-row-${p.id}`, onDoubleClick: () => navigate(`/postings/${p.id}`) }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <PublishPostingModal
        open={publishing}
        onClose={() => setPublishing(false)}
        onPublished={(p) => {
          setPublishing(false);
          navigate(`/postings/${p.id}`);
        }}
      />
    </>
  );
}
