import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, ConfigProvider, DatePicker, Empty, Flex, Form, Input, Modal, Radio, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n/context';
import { addDays, approvePermissionOf, type Candidate, chinaToday, KINDS, kindLabel, type PostingDetail, type PostingKind, sumFen, yuan } from './shared';

interface Values {
  title: string;
  startsOn: Dayjs;
  endsOn: Dayjs;
}

const DEFAULT_DAYS = 7;
const DAY = 'YYYY-MM-DD';

/** `"subjectIds.3"`, `"/body/subjectIds/3"` → ['subjectIds', 3]; `"title"` → ['title']. */
function fieldPath(field: string): [string, number?] {
  const parts = field
    .replace(/^\//, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((p) => p !== '' && p !== 'body');
  const index = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? Number(parts[1]) : undefined;
  return [parts[0] ?? '', index];
}

/**
 * 新建公示: choose the kind, the period and the items (all of what the organisation may post, selected
 * by default) and publish. The end follows the start and the longest posting days of the chosen items
 * until the user sets it; the server's field errors land on the fields, item errors above the table.
 */
export function PublishPostingModal({ open, onClose, onPublished }: { open: boolean; onClose: () => void; onPublished: (p: PostingDetail) => void }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { showError } = useApiError();
  const [form] = Form.useForm<Values>();
  const kinds = useMemo(() => KINDS.filter((k) => can(approvePermissionOf(k))), [can]);
  const [kind, setKind] = useState<PostingKind>(kinds[0] ?? 'application');
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [endTouched, setEndTouched] = useState(false);
  const [titleTouched, setTitleTouched] = useState(false);
  const [itemErrors, setItemErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const defaultTitle = useCallback(
    (k: PostingKind) => {
      const today = chinaToday();
      return t('post.new.defaultTitle', { year: today.slice(0, 4), month: Number(today.slice(5, 7)), kind: kindLabel(t, k) });
    },
    [t],
  );

  // A fresh form each time the dialog opens.
  useEffect(() => {
    if (!open) return;
    const today = chinaToday();
    form.setFieldsValue({ title: defaultTitle(kind), startsOn: dayjs(today), endsOn: dayjs(addDays(today, DEFAULT_DAYS - 1)) });
    setEndTouched(false);
    setTitleTouched(false);
    setItemErrors([]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setLoading(true);
    setCandidates([]);
    setSelected([]);
    setItemErrors([]);
    unwrap(api.GET('/api/postings/candidates', { params: { query: { kind } } }))
      .then((r) => {
        if (cancelled) return;
        setCandidates(r.items);
        setSelected(r.items.map((c) => c.subjectId));
      })
      .catch((err: unknown) => {
        if (!cancelled) showError(err);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [open, kind, showError]);

  const chosen = useMemo(() => candidates.filter((c) => selected.includes(c.subjectId)), [candidates, selected]);
  const minDays = chosen.reduce((m, c) => Math.max(m, c.postingDays), chosen.length ? 1 : DEFAULT_DAYS);
  const total = sumFen(chosen.map((c) => c.amountFen));

  // The end follows the start and the minimum days until the user picks it.
  const startsOn = Form.useWatch('startsOn', form);
  useEffect(() => {
    if (!open || endTouched || !startsOn) return;
    form.setFieldValue('endsOn', dayjs(addDays(startsOn.format(DAY), minDays - 1)));
  }, [open, endTouched, startsOn, minDays, form]);

  const changeKind = (k: PostingKind) => {
    setKind(k);
    if (!titleTouched) form.setFieldValue('title', defaultTitle(k));
  };

  const submit = async (v: Values) => {
    if (selected.length === 0) {
      setItemErrors([t('post.new.chooseOne')]);
      return;
    }
    setSaving(true);
    setItemErrors([]);
    // Send in the table's order, so an error's index names a row.
    const subjectIds = candidates.filter((c) => selected.includes(c.subjectId)).map((c) => c.subjectId);
    try {
      const p = await unwrap(api.POST('/api/postings', { body: { kind, title: v.title.trim(), startsOn: v.startsOn.format(DAY), endsOn: v.endsOn.format(DAY), subjectIds } }));
      onPublished(p);
    } catch (err) {
      if (!(err instanceof ApiError) || err.fieldErrors.length === 0) {
        showError(err);
        return;
      }
      const onItems: string[] = [];
      const onForm: { name: string; errors: string[] }[] = [];
      for (const f of err.fieldErrors) {
        const [name, index] = fieldPath(f.field);
        if (name === 'title' || name === 'startsOn' || name === 'endsOn') onForm.push({ name, errors: [f.message] });
        else if (index !== undefined && subjectIds[index]) {
          const row = candidates.findIndex((c) => c.subjectId === subjectIds[index]);
          onItems.push(t('post.new.itemError', { n: row + 1, fileNo: candidates[row]?.fileNo ?? '', message: f.message }));
        } else onItems.push(f.message);
      }
      form.setFields(onForm as Parameters<typeof form.setFields>[0]);
      setItemErrors(onItems);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<Candidate> = [
    { title: t('post.col.fileNo'), dataIndex: 'fileNo', width: 170, render: (v: string) => <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{v}</span> },
    { title: t('post.col.head'), dataIndex: 'headName', width: 90 },
    { title: t('post.col.region'), dataIndex: 'regionCode', width: 80 },
    { title: t('post.col.detail'), key: 'detail', render: (_: unknown, c) => (lang === 'zh-CN' ? c.detailZh : c.detailEn) },
    ...(kind === 'application'
      ? [{ title: t('post.col.amount'), key: 'amount', width: 110, align: 'right' as const, render: (_: unknown, c: Candidate) => yuan(c.amountFen) }]
      : []),
    ...(kind === 'application' ? [{ title: t('post.col.postingDays'), dataIndex: 'postingDays', width: 90, align: 'right' as const }] : []),
  ];

  return (
    <Modal
      open={open}
      title={t('post.new.title')}
      okText={t('post.new.submit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ disabled: loading || candidates.length === 0, 'data-testid': 'posting-publish' } as never}
      width={1000}
      forceRender
    >
      <Form<Values> form={form} layout="vertical" name="posting-publish" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="posting-publish-form">
        {kinds.length > 1 && (
          <Form.Item label={t('post.kind')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              value={kind}
              onChange={(e) => changeKind(e.target.value as PostingKind)}
              options={kinds.map((k) => ({ value: k, label: kindLabel(t, k) }))}
              data-testid="posting-kind"
            />
          </Form.Item>
        )}
        <Flex gap={16} wrap align="start">
          <Form.Item name="title" label={t('post.new.name')} rules={[{ required: true, whitespace: true, message: t('post.new.titleRequired') }, { max: 100 }]} style={{ flex: '1 1 320px' }}>
            <Input maxLength={100} onChange={() => setTitleTouched(true)} data-testid="posting-title" />
          </Form.Item>
          <Form.Item name="startsOn" label={t('post.new.startsOn')} rules={[{ required: true, message: t('post.new.dateRequired') }]}>
            <DatePicker allowClear={false} style={{ width: 150 }} disabledDate={(d) => d.format(DAY) < chinaToday()} data-testid="posting-starts" />
          </Form.Item>
          <Form.Item
            name="endsOn"
            label={t('post.new.endsOn')}
            rules={[{ required: true, message: t('post.new.dateRequired') }]}
            extra={<span style={{ whiteSpace: 'nowrap' }}>{t('post.new.minDays', { days: minDays })}</span>}
          >
            <DatePicker allowClear={false} style={{ width: 150 }} onChange={() => setEndTouched(true)} disabledDate={(d) => !!startsOn && d.isBefore(startsOn, 'day')} data-testid="posting-ends" />
          </Form.Item>
        </Flex>
      </Form>
      <Flex justify="space-between" align="baseline" wrap gap={8} style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('post.new.candidates')}</Typography.Text>
        {candidates.length > 0 && (
          <Typography.Text type="secondary" data-testid="posting-selected">
            {t('post.new.selected', { n: selected.length, total: candidates.length })}
            {total !== null && ` · ${t('post.new.total', { amount: yuan(total) })}`}
          </Typography.Text>
        )}
      </Flex>
      {itemErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="posting-item-errors"
          message={itemErrors.length === 1 ? itemErrors[0] : <ul style={{ margin: 0, paddingInlineStart: 18 }}>{itemErrors.map((e) => <li key={e}>{e}</li>)}</ul>}
        />
      )}
      {/* all rows start selected: a light selected background keeps the list readable */}
      <ConfigProvider theme={{ components: { Table: { rowSelectedBg: '#f5f9ff', rowSelectedHoverBg: '#e8f1ff' } } }}>
      <Table<Candidate>
        rowKey="subjectId"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={candidates}
        pagination={false}
        scroll={{ y: 300, x: 720 }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<Flex vertical gap={4}><span>{t('post.new.none')}</span><Typography.Text type="secondary">{t(`post.new.noneHint.${kind}`)}</Typography.Text></Flex>} />,
        }}
        data-testid="posting-candidates"
      />
      </ConfigProvider>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {t('post.new.maskNote')}
      </Typography.Paragraph>
    </Modal>
  );
}
