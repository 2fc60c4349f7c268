import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { FormModal } from '../../components/FormModal';
import { KeysetTable } from '../../components/KeysetPager';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useKeysetPage } from '../../lib/useKeysetPage';
import { accountLabel, type Entry, type EntryDetail, entryKindOptions, fundTypeLabel, fundTypeOptions, KindTag, kindLabel, Money, sourceLabel, useFundCodes, yuan } from './shared';
import { FundOrgSelect } from './OrgSelect';

export interface EntryFilters {
  orgId?: string;
  fundType?: string;
  kind?: string;
}

const reversible = (e: Entry) => (e.kind === 'receipt' || e.kind === 'allocation') && !e.reversedBy;

/** 记账明细: entries of the scope, newest first, with kind tags; reversed ones marked, reversal with a reason. */
export function EntriesTab({ filters, onFilters, version }: { filters: EntryFilters; onFilters: (f: EntryFilters) => void; version: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { showError } = useApiError();
  const codes = useFundCodes();
  const manage = can('fund.manage');
  const [open, setOpen] = useState<string | null>(null);
  const [reversing, setReversing] = useState<Entry | null>(null);

  const key = JSON.stringify([filters, version]);
  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      unwrap(
        api.GET('/api/funds/entries', {
          params: {
            query: {
              ...(filters.orgId ? { orgId: filters.orgId } : {}),
              ...(filters.fundType ? { fundType: filters.fundType as never } : {}),
              ...(filters.kind ? { kind: filters.kind as never } : {}),
              ...(cursor ? { cursor } : {}),
              limit: 20,
            },
          },
        }),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const list = useKeysetPage(fetchPage, key);

  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const columns = useMemo<TableColumnsType<Entry>>(
    () => [
      { title: t('fund.col.date'), key: 'date', width: 110, render: (_: unknown, e) => <span style={{ whiteSpace: 'nowrap' }}>{e.occurredOn}</span> },
      {
        title: t('fund.col.kind'),
        key: 'kind',
        width: 120,
        render: (_: unknown, e) => (
          <Flex gap={4} wrap>
            <KindTag kind={e.kind} t={t} />
            {e.reversedBy && (
              <Tag color="default" style={{ marginInlineEnd: 0, textDecoration: 'line-through' }} data-testid={`fund-entry-reversed-${e.id}`}>
                {t('fund.entries.reversed')}
              </Tag>
            )}
          </Flex>
        ),
      },
      {
        title: t('fund.col.org'),
        key: 'org',
        render: (_: unknown, e) => (
          <Flex vertical gap={2}>
            <span>{e.orgName}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fundTypeLabel(t, e.fundType)}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: t('fund.col.amount'),
        key: 'amount',
        align: 'right',
        width: 150,
        render: (_: unknown, e) => (
          <span style={{ opacity: e.reversedBy ? 0.55 : 1, textDecoration: e.reversedBy ? 'line-through' : undefined }}>
            <Money fen={e.amountFen} />
          </span>
        ),
      },
      {
        title: t('fund.col.reference'),
        key: 'ref',
        render: (_: unknown, e) => (
          <Flex vertical gap={2} style={{ maxWidth: 280 }}>
            {e.reference && <Typography.Text ellipsis={{ tooltip: e.reference }}>{e.reference}</Typography.Text>}
            {e.memo && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: e.memo }}>
                {e.memo}
              </Typography.Text>
            )}
            {e.refKind && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('fund.entries.fromCycle')}
              </Typography.Text>
            )}
          </Flex>
        ),
      },
      {
        title: t('fund.col.by'),
        key: 'by',
        width: 150,
        render: (_: unknown, e) => (
          <Flex vertical gap={2}>
            <span>{e.createdByName}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {formatDateTime(e.createdAt, true)}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: t('fund.col.actions'),
        key: 'actions',
        render: (_: unknown, e) => (
          <Flex gap={4} style={{ whiteSpace: 'nowrap' }}>
            <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setOpen(e.id)} data-testid={`fund-entry-open-${e.id}`}>
              {t('fund.entries.detail')}
            </Button>
            {manage && reversible(e) && (
              <Button type="link" size="small" danger onClick={() => setReversing(e)} data-testid={`fund-entry-reverse-${e.id}`}>
                {t('fund.entries.reverse')}
              </Button>
            )}
          </Flex>
        ),
      },
    ],
    [t, manage],
  );

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <div style={{ width: 260 }}>
          <FundOrgSelect value={filters.orgId} onChange={(orgId) => onFilters({ ...filters, orgId })} allowClear placeholder={t('fund.filter.org')} data-testid="fund-entries-org" />
        </div>
        <Select
          allowClear
          placeholder={t('fund.filter.fundType')}
          style={{ width: 240 }}
          value={filters.fundType}
          onChange={(fundType) => onFilters({ ...filters, fundType })}
          options={fundTypeOptions(t, codes.fundTypes)}
          data-testid="fund-entries-type"
        />
        <Select
          allowClear
          placeholder={t('fund.filter.kind')}
          style={{ width: 140 }}
          value={filters.kind}
          onChange={(kind) => onFilters({ ...filters, kind })}
          options={entryKindOptions(t, codes.entryKinds)}
          data-testid="fund-entries-kind"
        />
      </Flex>
      <KeysetTable<Entry> list={list} testIdPrefix="fund-entries" columns={columns} emptyText={t('fund.entries.empty')} />
      <EntryDrawer id={open} onClose={() => setOpen(null)} onOpen={setOpen} />
      <ReverseModal
        entry={reversing}
        onClose={() => setReversing(null)}
        onDone={() => {
          setReversing(null);
          list.reload();
        }}
      />
    </>
  );
}

/** One entry with its lines (debit and credit), and the link to its reversal or its original. */
function EntryDrawer({ id, onClose, onOpen }: { id: string | null; onClose: () => void; onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const { showError } = useApiError();
  const [entry, setEntry] = useState<EntryDetail | null>(null);

  useEffect(() => {
    setEntry(null);
    if (!id) return;
    let cancelled = false;
    unwrap(api.GET('/api/funds/entries/{id}', { params: { path: { id } } }))
      .then((e) => !cancelled && setEntry(e))
      .catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [id, showError]);

  type Line = EntryDetail['lines'][number];
  const columns: TableColumnsType<Line> = [
    {
      title: t('fund.entry.account'),
      key: 'account',
      render: (_: unknown, l) => (
        <Flex vertical gap={2}>
          <span>{l.orgName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {accountLabel(t, l.kind)}
            {l.source ? ` · ${sourceLabel(t, l.source)}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('fund.entry.debit'), key: 'debit', align: 'right', width: 130, render: (_: unknown, l) => (l.amountFen.startsWith('-') ? '' : <Money fen={l.amountFen} />) },
    { title: t('fund.entry.credit'), key: 'credit', align: 'right', width: 130, render: (_: unknown, l) => (l.amountFen.startsWith('-') ? <Money fen={l.amountFen.slice(1)} /> : '') },
  ];

  return (
    <Drawer open={id !== null} onClose={onClose} title={t('fund.entry.title')} width={560} data-testid="fund-entry-drawer">
      {entry && (
        <>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('fund.col.kind')}>
              <KindTag kind={entry.kind} t={t} /> {entry.reversedBy && <Tag style={{ marginInlineStart: 4 }}>{t('fund.entries.reversed')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.col.org')}>{entry.orgName}</Descriptions.Item>
            <Descriptions.Item label={t('fund.col.fundType')}>{fundTypeLabel(t, entry.fundType)}</Descriptions.Item>
            <Descriptions.Item label={t('fund.col.amount')}>
              <Money fen={entry.amountFen} strong />
            </Descriptions.Item>
            <Descriptions.Item label={t('fund.col.date')}>{entry.occurredOn}</Descriptions.Item>
            {entry.reference && <Descriptions.Item label={t('fund.entry.reference')}>{entry.reference}</Descriptions.Item>}
            {entry.memo && <Descriptions.Item label={t('fund.entry.memo')}>{entry.memo}</Descriptions.Item>}
            <Descriptions.Item label={t('fund.col.by')}>{entry.createdByName}</Descriptions.Item>
            <Descriptions.Item label={t('fund.entry.createdAt')}>{formatDateTime(entry.createdAt)}</Descriptions.Item>
            {entry.reversesId && (
              <Descriptions.Item label={t('fund.entry.original')}>
                <Typography.Link onClick={() => onOpen(entry.reversesId!)}>{t('fund.entries.detail')}</Typography.Link>
              </Descriptions.Item>
            )}
            {entry.reversedBy && (
              <Descriptions.Item label={t('fund.entry.reversal')}>
                <Typography.Link onClick={() => onOpen(entry.reversedBy!)}>{t('fund.entries.detail')}</Typography.Link>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Title level={5}>{t('fund.entry.lines')}</Typography.Title>
          <Table<Line> rowKey="seq" size="small" pagination={false} columns={columns} dataSource={entry.lines} data-testid="fund-entry-lines" />
        </>
      )}
    </Drawer>
  );
}

/** 冲正: a required reason; the server's refusal (already reversed, money moved on) shows on the form. */
function ReverseModal({ entry, onClose, onDone }: { entry: Entry | null; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();

  useEffect(() => {
    if (entry) form.resetFields();
  }, [entry, form]);

  return (
    <FormModal<{ reason: string }>
      open={entry !== null}
      title={t('fund.reverse.title')}
      okText={t('fund.reverse.ok')}
      onClose={onClose}
      form={form}
      name="fund-reverse"
      onSubmit={async (v) => {
        await unwrap(api.POST('/api/funds/entries/{id}/reverse', { params: { path: { id: entry!.id } }, body: { reason: v.reason.trim() } })).catch((err: unknown) => {
          // Refusals (already reversed, money moved on) shown under the reason, in words.
          if (err instanceof ApiError && err.code === 'CONFLICT') {
            const moved = err.fieldErrors.some((f) => f.field === 'amountFen');
            throw new ApiError(err.status, { code: err.code, message: err.message, details: [{ field: 'reason', message: moved ? t('fund.reverse.moved') : err.message }] });
          }
          throw err;
        });
        void message.success(t('fund.reverse.done'));
        onDone();
      }}
      okTestId="fund-reverse-ok"
      formTestId="fund-reverse-form"
      width={520}
    >
      {entry && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('fund.reverse.summary', { kind: kindLabel(t, entry.kind), org: entry.orgName, fundType: fundTypeLabel(t, entry.fundType), amount: yuan(entry.amountFen), date: entry.occurredOn })}
          description={t('fund.reverse.intro')}
        />
      )}
      <Form.Item
        name="reason"
        label={t('fund.reverse.reason')}
        rules={[
          { required: true, whitespace: true, message: t('fund.reverse.reasonRequired') },
          { min: 2, max: 500, message: t('fund.reverse.reasonRequired') },
        ]}
      >
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('fund.reverse.reasonPlaceholder')} data-testid="fund-reverse-reason" />
      </Form.Item>
    </FormModal>
  );
}
