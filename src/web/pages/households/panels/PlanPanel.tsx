import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api/client';
import { ApiError, unwrap } from '../../../api/errors';
import type { BodyOf, ResponseOf } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { FormModal } from '../../../components/FormModal';
import { useT } from '../../../i18n/context';
import type { MessageKey } from '../../../i18n/zh-CN';
import { useAsync } from '../../../lib/useAsync';
import { chinaToday } from './chinaToday';

type MeasureList = ResponseOf<'/api/households/{id}/measures', 'get'>;
type Measure = MeasureList['items'][number];
type Batch = Measure['batch'];
type MeasureStatus = Measure['status'];

export const BATCHES: readonly Batch[] = ['employment', 'social_insurance', 'medical', 'assistance'];
const STATUSES: readonly MeasureStatus[] = ['planned', 'in_progress', 'done', 'cancelled'];
const STATUS_COLORS: Record<MeasureStatus, string> = { planned: 'default', in_progress: 'processing', done: 'success', cancelled: 'default' };
const BATCH_COLORS: Record<Batch, string> = { employment: 'blue', social_insurance: 'cyan', medical: 'magenta', assistance: 'orange' };

interface AddValues {
  batch: Batch;
  target: string;
  responsible: string;
  dueOn: Dayjs;
  status: MeasureStatus;
  outcome?: string;
}

interface EditValues {
  status: MeasureStatus;
  outcome?: string;
}

/**
 * 帮扶计划与措施: the household's measures, each of one of the four batches (四个一批), the
 * current episode first; add a measure and move one on (status, outcome) in a dialog.
 */
export function PlanPanel({ householdId, status, onChanged }: { householdId: string; status: string; onChanged?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { describe } = useApiError();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Measure | null>(null);
  const [addForm] = Form.useForm<AddValues>();
  const [editForm] = Form.useForm<EditValues>();
  const addStatus = Form.useWatch('status', addForm);
  const editStatus = Form.useWatch('status', editForm);

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}/measures', { params: { path: { id: householdId } } })),
    // the status is a dependency: a file that ends closes its plan
    [householdId, status],
  );
  const { data, error, loading, reload } = useAsync(load, [load]);
  const canWrite = can('household.write') && (data?.editable ?? false);

  const changed = useCallback(() => {
    reload();
    onChanged?.();
  }, [reload, onChanged]);

  const batchLabel = useCallback((b: string) => t(`care.batch.${b}` as MessageKey), [t]);
  const statusLabel = useCallback((s: string) => t(`plan.status.${s}` as MessageKey), [t]);

  const columns = useMemo<TableColumnsType<Measure>>(
    () => [
      {
        title: t('plan.batch'),
        dataIndex: 'batch',
        width: 120,
        render: (b: Batch, m) => (
          <Flex vertical gap={4} align="start">
            <Tooltip title={batchLabel(b)}>
              <Tag color={m.current ? BATCH_COLORS[b] : 'default'}>{t(`care.batchShort.${b}` as MessageKey)}</Tag>
            </Tooltip>
            {m.current ? null : (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('plan.earlier', { n: m.episode })}
              </Typography.Text>
            )}
          </Flex>
        ),
      },
      { title: t('plan.target'), dataIndex: 'target', render: (v: string, m) => <Typography.Text type={m.current ? undefined : 'secondary'}>{v}</Typography.Text> },
      { title: t('plan.responsible'), dataIndex: 'responsible', width: 100, ellipsis: true },
      {
        title: t('plan.dueOn'),
        dataIndex: 'dueOn',
        width: 120,
        render: (v: string, m) => (
          <Flex vertical gap={2} align="start">
            <span>{v}</span>
            {m.overdue && m.current ? <Tag color="error">{t('plan.overdue')}</Tag> : null}
          </Flex>
        ),
      },
      { title: t('plan.status'), dataIndex: 'status', width: 90, render: (s: MeasureStatus) => <Tag color={STATUS_COLORS[s]}>{statusLabel(s)}</Tag> },
      {
        title: t('plan.outcome'),
        dataIndex: 'outcome',
        width: 200,
        render: (v: string | null) => (v ? <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ margin: 0 }}>{v}</Typography.Paragraph> : <Typography.Text type="secondary">—</Typography.Text>),
      },
      ...(canWrite
        ? [
            {
              title: t('plan.actions'),
              key: 'actions',
              width: 100,
              render: (_: unknown, m: Measure) =>
                m.current ? (
                  <Button
                    size="small"
                    onClick={() => {
                      editForm.setFieldsValue({ status: m.status, outcome: m.outcome ?? '' });
                      setEditing(m);
                    }}
                    data-testid={`plan-edit-${m.id}`}
                  >
                    {t('plan.update')}
                  </Button>
                ) : null,
            },
          ]
        : []),
    ],
    [t, batchLabel, statusLabel, canWrite, editForm],
  );

  const add = async (values: AddValues) => {
    const body: BodyOf<'/api/households/{id}/measures', 'post'> = {
      batch: values.batch,
      target: values.target.trim(),
      responsible: values.responsible.trim(),
      dueOn: values.dueOn.format('YYYY-MM-DD'),
      status: values.status,
      outcome: values.outcome?.trim() || null,
    };
    await unwrap(api.POST('/api/households/{id}/measures', { params: { path: { id: householdId } }, body }));
    void message.success(t('plan.saved'));
    setAdding(false);
    addForm.resetFields();
    changed();
  };

  const update = async (values: EditValues) => {
    if (!editing) return;
    try {
      await unwrap(
        api.PATCH('/api/households/{id}/measures/{measureId}', {
          params: { path: { id: householdId, measureId: editing.id } },
          body: { version: editing.version, status: values.status, outcome: values.outcome?.trim() ?? '' },
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // someone moved it first (or the file ended): show theirs
        void message.warning(err.fieldErrors.some((f) => f.field === 'version') ? t('plan.stale') : describeConflict(err));
        setEditing(null);
        changed();
        return;
      }
      throw err;
    }
    void message.success(t('plan.saved'));
    setEditing(null);
    changed();
  };

  const describeConflict = (err: ApiError) => err.message || describe(err);

  const items = data?.items ?? [];
  const current = items.filter((m) => m.current);
  const done = current.filter((m) => m.status === 'done').length;
  const filedOn = data?.filedOn ?? chinaToday();

  return (
    <Card
      title={t('plan.title')}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="plan-add">
            {t('plan.add')}
          </Button>
        ) : null
      }
      data-testid="plan-panel"
    >
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('plan.intro')}
        </Typography.Text>
        {current.length > 0 ? <Typography.Text data-testid="plan-summary">{t('plan.summary', { n: current.length, done })}</Typography.Text> : null}
      </Flex>
      {data && !data.editable ? <Alert type="info" showIcon message={t('plan.closed')} style={{ marginBottom: 12 }} /> : null}
      {error && !data ? <Alert type="error" showIcon message={describe(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Measure>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        size="middle"
        tableLayout="fixed"
        scroll={{ x: 860 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.empty')} /> }}
        data-testid="plan-table"
      />

      <FormModal<AddValues>
        open={adding}
        title={t('plan.addTitle')}
        okText={t('common.save')}
        onClose={() => setAdding(false)}
        form={addForm}
        name="plan-add"
        onSubmit={add}
        okTestId="plan-add-ok"
        formTestId="plan-add-form"
        resetOnCancel
        initialValues={{ status: 'planned' }}
        width={560}
      >
        <Form.Item name="batch" label={t('plan.batch')} rules={[{ required: true, message: t('plan.batch') }]}>
          <Select options={BATCHES.map((b) => ({ value: b, label: batchLabel(b) }))} data-testid="plan-form-batch" />
        </Form.Item>
        <Form.Item name="target" label={t('plan.target')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('plan.targetPlaceholder')} data-testid="plan-form-target" />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="responsible" label={t('plan.responsible')} rules={[{ required: true, whitespace: true, max: 50 }]} style={{ flex: '1 1 200px' }}>
            <Input maxLength={50} data-testid="plan-form-responsible" />
          </Form.Item>
          <Form.Item
            name="dueOn"
            label={t('plan.dueOn')}
            extra={t('plan.dueOnHelp', { date: filedOn })}
            rules={[{ required: true }]}
            style={{ flex: '1 1 200px' }}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(filedOn), 'day')} data-testid="plan-form-due" />
          </Form.Item>
        </Flex>
        <Form.Item name="status" label={t('plan.status')}>
          <Select options={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))} data-testid="plan-form-status" />
        </Form.Item>
        <Form.Item name="outcome" label={t('plan.outcome')} rules={[{ required: addStatus === 'done', whitespace: true, max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('plan.outcomePlaceholder')} data-testid="plan-form-outcome" />
        </Form.Item>
      </FormModal>

      <FormModal<EditValues>
        open={editing !== null}
        title={editing ? `${t('plan.editTitle')} · ${t(`care.batchShort.${editing.batch}` as MessageKey)}` : t('plan.editTitle')}
        okText={t('common.save')}
        onClose={() => setEditing(null)}
        form={editForm}
        name="plan-edit"
        onSubmit={update}
        okTestId="plan-edit-ok"
        formTestId="plan-edit-form"
        width={520}
      >
        {editing ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 16 }}>
            {editing.target}（{t('plan.responsible')}：{editing.responsible}，{t('plan.dueOn')}：{editing.dueOn}）
          </Typography.Paragraph>
        ) : null}
        <Form.Item name="status" label={t('plan.status')} rules={[{ required: true }]}>
          <Select options={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))} data-testid="plan-edit-status" />
        </Form.Item>
        <Form.Item name="outcome" label={t('plan.outcome')} rules={[{ required: editStatus === 'done', whitespace: true, max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('plan.outcomePlaceholder')} data-testid="plan-edit-outcome" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
