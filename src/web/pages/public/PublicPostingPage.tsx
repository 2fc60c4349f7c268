import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Grid, Input, Modal, Result, Skeleton, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useI18n, useT } from '../../i18n/context';
import { DaysLeft, kindLabel, PublicShell } from './PublicPostingsPage';

type Detail = ResponseOf<'/api/public/postings/{id}', 'get'>;
type Item = Detail['items'][number];
type Receipt = ResponseOf<'/api/public/postings/{id}/items/{itemId}/objections', 'post', 201>;

const MAX = 500;

/** Whole fen as yuan with two decimals, in integer arithmetic: '500000' → '5,000.00'. */
export function yuan(fen: string): string {
  if (!/^-?\d+$/.test(fen)) return fen;
  const f = BigInt(fen);
  const sign = f < 0n ? '-' : '';
  const abs = f < 0n ? -f : f;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${sign}${whole}.${cents}`;
}

/** A moment in China time, 'YYYY-MM-DD HH:mm:ss'. */
function chinaTime(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

function ObjectionModal({ postingId, item, onClose }: { postingId: string; item: Item | null; onClose: () => void }) {
  const t = useT();
  const { describe } = useApiError();
  const [form] = Form.useForm<{ content: string }>();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  useEffect(() => {
    if (item) {
      form.resetFields();
      setProblem(null);
      setReceipt(null);
    }
  }, [item, form]);

  const submit = async ({ content }: { content: string }) => {
    if (!item) return;
    setSending(true);
    setProblem(null);
    try {
      const r = await unwrap(
        api.POST('/api/public/postings/{id}/items/{itemId}/objections', { params: { path: { id: postingId, itemId: item.id } }, body: { content } }),
      );
      setReceipt(r);
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length > 0) {
        form.setFields(err.fieldErrors.map((f) => ({ name: 'content' as const, errors: [f.message] })));
      } else if (err instanceof ApiError && err.status === 429) {
        setProblem(t('pub.modal.rateLimited'));
      } else if (err instanceof ApiError && err.status === 404) {
        setProblem(t('pub.modal.ended'));
      } else if (err instanceof ApiError && err.status === 409 && err.message) {
        setProblem(err.message);
      } else {
        setProblem(describe(err));
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open={item !== null}
      onCancel={onClose}
      title={item ? t('pub.modal.title', { seq: item.seq }) : null}
      destroyOnHidden
      width={520}
      footer={
        receipt
          ? [
              <Button key="close" type="primary" onClick={onClose} data-testid="pub-receipt-close">
                {t('common.close')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
              <Button key="submit" type="primary" loading={sending} onClick={() => form.submit()} data-testid="pub-objection-submit">
                {t('pub.modal.submit')}
              </Button>,
            ]
      }
    >
      {item && receipt ? (
        <Result
          status="success"
          title={t('pub.receipt.title')}
          subTitle={
            <Flex vertical gap={2}>
              <span data-testid="pub-receipt-time">{t('pub.receipt.time', { time: chinaTime(receipt.createdAt) })}</span>
              <span>{t('pub.receipt.no', { no: receipt.id.slice(0, 8).toUpperCase() })}</span>
              <span>{t('pub.receipt.note')}</span>
            </Flex>
          }
          data-testid="pub-receipt"
          style={{ padding: '16px 0 0' }}
        />
      ) : item ? (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={sending}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
            {t('pub.modal.subject', { name: item.maskedName, id: item.maskedId })}
          </Typography.Paragraph>
          {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} role="alert" data-testid="pub-objection-error" /> : null}
          <Form.Item
            name="content"
            label={t('pub.modal.content')}
            rules={[
              { required: true, whitespace: true, message: t('pub.modal.min') },
              { min: 5, message: t('pub.modal.min') },
            ]}
          >
            <Input.TextArea rows={5} maxLength={MAX} showCount placeholder={t('pub.modal.placeholder')} data-testid="pub-objection-content" />
          </Form.Item>
          <Alert type="info" title={t('pub.modal.note')} style={{ marginTop: 4 }} />
        </Form>
      ) : null}
    </Modal>
  );
}

/** Items on a phone: one small card each instead of a wide table. */
function ItemCards({ items, onObject }: { items: Item[]; onObject: (i: Item) => void }) {
  const t = useT();
  const { lang } = useI18n();
  return (
    <Flex vertical gap={8}>
      {items.map((i) => (
        <Card key={i.id} size="small" data-testid="pub-item">
          <Flex justify="space-between" align="flex-start" gap={8}>
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <Typography.Text strong>
                {i.seq}. {i.maskedName}
                <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
                  {i.regionName ?? ''}
                </Typography.Text>
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13, fontVariantNumeric: 'tabular-nums' }}>
                {i.maskedId}
              </Typography.Text>
              <Typography.Text style={{ fontSize: 13 }}>
                {lang === 'en' ? i.detailEn : i.detailZh}
                {i.amountFen !== null ? ` · ${t('pub.yuan', { amount: yuan(i.amountFen) })}` : ''}
              </Typography.Text>
            </Flex>
            <Button size="small" onClick={() => onObject(i)} data-testid={`pub-object-${i.seq}`}>
              {t('pub.object')}
            </Button>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

export default function PublicPostingPage() {
  const t = useT();
  const { lang } = useI18n();
  const { id = '' } = useParams();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [posting, setPosting] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [objecting, setObjecting] = useState<Item | null>(null);

  useEffect(() => {
    let live = true;
    setPosting(null);
    setError(null);
    unwrap(api.GET('/api/public/postings/{id}', { params: { path: { id } } })).then(
      (p) => live && setPosting(p),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    document.title = posting ? `${posting.title} · ${t('pub.title')}` : t('pub.brand');
  }, [posting, t]);

  const hasAmount = posting?.items.some((i) => i.amountFen !== null) ?? false;
  const columns: ColumnsType<Item> = [
    { title: t('pub.col.seq'), dataIndex: 'seq', width: 64 },
    { title: t('pub.col.region'), dataIndex: 'regionName', width: 120, render: (v: string | null) => v ?? '—' },
    { title: t('pub.col.name'), dataIndex: 'maskedName', width: 110 },
    { title: t('pub.col.id'), dataIndex: 'maskedId', width: 190, render: (v: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span> },
    { title: t('pub.col.detail'), key: 'detail', render: (_: unknown, i: Item) => (lang === 'en' ? i.detailEn : i.detailZh) },
    ...(hasAmount
      ? [{ title: t('pub.col.amount'), dataIndex: 'amountFen', width: 130, align: 'right' as const, render: (v: string | null) => (v === null ? '—' : yuan(v)) }]
      : []),
    {
      title: '',
      key: 'object',
      width: 110,
      align: 'right',
      render: (_: unknown, i: Item) => (
        <Button size="small" onClick={() => setObjecting(i)} data-testid={`pub-object-${i.seq}`}>
          {t('pub.object')}
        </Button>
      ),
    },
  ];

  return (
    <PublicShell>
      <Flex vertical gap={16} data-testid="pub-posting-page">
        <Link to="/public/postings" data-testid="pub-back">
          <ArrowLeftOutlined /> {t('pub.back')}
        </Link>
        {error ? (
          <Card>
            <Result status="404" subTitle={error instanceof ApiError && error.status === 404 ? t('pub.notFound') : t('pub.loadFailed')} />
          </Card>
        ) : posting === null ? (
          <Card>
            <Skeleton active />
          </Card>
        ) : (
          <>
            <Card styles={{ body: narrow ? { padding: 16 } : {} }}>
              <Flex vertical gap={12}>
                <Flex justify="space-between" align="flex-start" gap={8} wrap>
                  <Typography.Title level={3} style={{ margin: 0, flex: '1 1 260px', minWidth: 0, fontSize: narrow ? 20 : undefined }} data-testid="pub-posting-heading">
                    {posting.title}
                  </Typography.Title>
                  <DaysLeft startsOn={posting.startsOn} endsOn={posting.endsOn} />
                </Flex>
                <Descriptions
                  size="small"
                  column={{ xs: 1, sm: 2, md: 4 }}
                  items={[
                    { key: 'kind', label: t('pub.kind'), children: <Tag bordered={false}>{kindLabel(t, posting.kind)}</Tag> },
                    { key: 'org', label: t('pub.org'), children: posting.orgName },
                    { key: 'region', label: t('pub.region'), children: posting.regionName ?? posting.regionCode },
                    { key: 'period', label: t('pub.period'), children: t('pub.periodRange', { from: posting.startsOn, to: posting.endsOn }) },
                  ]}
                />
                <Alert type="info" showIcon title={`${t('pub.intro')}${lang === 'en' ? ' ' : ''}${t('pub.masked')}`} />
              </Flex>
            </Card>
            <Card title={t('pub.items', { n: posting.items.length })} styles={{ body: narrow ? { padding: 8 } : { padding: 0 } }}>
              {narrow ? (
                <ItemCards items={posting.items} onObject={setObjecting} />
              ) : (
                <Table<Item> rowKey="id" size="middle" columns={columns} dataSource={posting.items} pagination={posting.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false} />
              )}
            </Card>
            <ObjectionModal postingId={posting.id} item={objecting} onClose={() => setObjecting(null)} />
          </>
        )}
      </Flex>
    </PublicShell>
  );
}
