import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Descriptions, Flex, Result, Spin, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import type { TableColumnsType } from 'antd';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { PageHeader } from '../../components/PageHeader';
import { type Translate, useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/useAsync';
import { ResolveObjectionModal } from './ResolveObjectionModal';
import { approvePermissionOf, ItemStatusTag, kindLabel, ObjectionStatusTag, PhaseTag, periodDays, type PostingDetail, type PostingItem, sumFen, yuan } from './shared';

/** The objections against one item, newest last, with their time, source and decision. */
function Objections({ item, t }: { item: PostingItem; t: Translate }) {
  return (
    <Flex vertical gap={8} style={{ padding: '4px 8px 4px 40px' }} data-testid={`posting-objections-${item.id}`}>
      <Typography.Text strong>{t('post.d.objectionsTitle')}</Typography.Text>
      {item.objections.map((o) => (
        <div key={o.id} style={{ borderInlineStart: '3px solid #faad14', paddingInlineStart: 12 }}>
          <Flex gap={12} wrap align="center">
            <ObjectionStatusTag status={o.status} t={t} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('post.d.objectionAt')} {formatDateTime(o.createdAt)}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('post.d.sourceIp')} {o.sourceIp}
            </Typography.Text>
          </Flex>
          <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{o.content}</Typography.Paragraph>
          {o.resolution && (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 13 }}>
              {t('post.d.resolutionLine', { text: o.resolution })}
              {o.resolvedByName && o.resolvedAt ? t('post.d.resolvedBy', { name: o.resolvedByName, at: formatDateTime(o.resolvedAt, true) }) : ''}
            </Typography.Paragraph>
          )}
        </div>
      ))}
    </Flex>
  );
}

/** 公示详情: the batch, its masked items with their objections, and deciding an objected item. */
export default function PostingDetailPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { describe } = useApiError();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const load = useCallback(() => unwrap(api.GET('/api/postings/{id}', { params: { path: { id } } })), [id]);
  const { data, error } = useAsync(load, [load]);
  const [posting, setPosting] = useState<PostingDetail | undefined>(undefined);
  const [resolving, setResolving] = useState<PostingItem | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);

  useEffect(() => {
    if (!data) return;
    setPosting(data);
    setExpanded(data.items.filter((i) => i.status === 'objected').map((i) => i.id));
  }, [data]);

  const mayDecide = posting ? can(approvePermissionOf(posting.kind)) : false;
  const total = posting ? sumFen(posting.items.map((i) => i.amountFen)) : null;

  const columns = useMemo<TableColumnsType<PostingItem>>(() => {
    if (!posting) return [];
    return [
      { title: t('post.col.seq'), dataIndex: 'seq', width: 64, align: 'right' },
      { title: t('post.col.region'), key: 'region', width: 100, render: (_: unknown, i) => i.regionName ?? i.regionCode },
      { title: t('post.col.name'), dataIndex: 'maskedName', width: 90 },
      {
        title: t('post.col.idNumber'),
        dataIndex: 'maskedId',
        width: 190,
        render: (v: string) => <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{v}</span>,
      },
      {
        title: t('post.col.detail'),
        key: 'detail',
        width: 260,
        render: (_: unknown, i) => (
          <Flex vertical gap={2}>
            <span>{lang === 'zh-CN' ? i.detailZh : i.detailEn}</span>
            {/* the decision shows with the objections it answered; alone only when there are none */}
            {i.resolution && !i.objections.some((o) => o.resolution) && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('post.d.itemResolution', { text: i.resolution })}
              </Typography.Text>
            )}
          </Flex>
        ),
      },
      ...(posting.kind === 'application'
        ? [{ title: t('post.col.amount'), key: 'amount', width: 110, align: 'right' as const, render: (_: unknown, i: PostingItem) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{yuan(i.amountFen)}</span> }]
        : []),
      {
        title: t('post.col.status'),
        key: 'status',
        width: 130,
        render: (_: unknown, i) => (
          <Flex vertical gap={2} align="start">
            <ItemStatusTag status={i.status} t={t} />
            {i.objections.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('post.d.objections', { n: i.objections.length })}
              </Typography.Text>
            )}
          </Flex>
        ),
      },
      ...(mayDecide && posting.items.some((i) => i.status === 'objected')
        ? [
            {
              title: t('post.d.action'),
              key: 'action',
              width: 110,
              render: (_: unknown, i: PostingItem) =>
                i.status === 'objected' ? (
                  <Button size="small" type="primary" ghost onClick={() => setResolving(i)} data-testid={`posting-resolve-${i.seq}`}>
                    {t('post.d.resolve')}
                  </Button>
                ) : null,
            },
          ]
        : []),
    ];
  }, [posting, t, lang, mayDecide]);

  const back = (
    <Link to="/postings">
      <ArrowLeftOutlined /> {t('post.back')}
    </Link>
  );

  if (error) {
    return (
      <>
        {back}
        <Result status="warning" title={describe(error)} />
      </>
    );
  }
  if (!posting) {
    return (
      <Flex justify="center" style={{ padding: 64 }}>
        <Spin />
      </Flex>
    );
  }

  const days = periodDays(posting.startsOn, posting.endsOn);

  return (
    <>
      <div style={{ marginBottom: 8 }}>{back}</div>
      <PageHeader
        title={
          <Flex gap={12} align="center" wrap>
            <span>{posting.title}</span>
            <PhaseTag p={posting} t={t} />
          </Flex>
        }
        extra={
          <Link to={`/postings/${posting.id}/print`} target="_blank" rel="noopener">
            <Button icon={<PrinterOutlined />} data-testid="posting-print">
              {t('post.d.print')}
            </Button>
          </Link>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="posting-summary">
          <Descriptions.Item label={t('post.d.org')}>{posting.orgName}</Descriptions.Item>
          <Descriptions.Item label={t('post.d.kind')}>{kindLabel(t, posting.kind)}</Descriptions.Item>
          <Descriptions.Item label={t('post.d.period')}>
            {t('post.periodWithDays', { start: posting.startsOn, end: posting.endsOn, days })}
          </Descriptions.Item>
          <Descriptions.Item label={t('post.d.items')}>{t('post.count', { n: posting.itemCount })}</Descriptions.Item>
          <Descriptions.Item label={t('post.d.objected')}>
            {posting.objectedCount > 0 ? (
              <Tag color="warning" style={{ marginInlineEnd: 0 }}>
                {t('post.count', { n: posting.objectedCount })}
              </Tag>
            ) : (
              t('post.noObjection')
            )}
          </Descriptions.Item>
          {total !== null ? (
            <Descriptions.Item label={t('post.d.total')}>{t('post.yuan', { amount: yuan(total) })}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('post.d.publishedBy')}>
            {posting.createdByName ?? ''} · {formatDateTime(posting.createdAt, true)}
          </Descriptions.Item>
          {posting.closedAt ? <Descriptions.Item label={t('post.d.closedAt')}>{formatDateTime(posting.closedAt, true)}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Card title={t('post.d.itemsTitle')}>
        <Table<PostingItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={posting.items}
          pagination={posting.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          scroll={{ x: 960 }}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
            rowExpandable: (i) => i.objections.length > 0,
            expandedRowRender: (i) => <Objections item={i} t={t} />,
          }}
          data-testid="posting-items"
        />
      </Card>
      <ResolveObjectionModal
        posting={posting}
        item={resolving}
        onClose={() => setResolving(null)}
        onResolved={(p) => {
          setResolving(null);
          setPosting(p);
          void message.success(t('post.r.done'));
        }}
      />
    </>
  );
}
