import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, Popconfirm, Select, Table, Tag, Typography } from 'antd';
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

type TrainingList = ResponseOf<'/api/households/{id}/training', 'get'>;
type Training = TrainingList['items'][number];
type TrainingStatus = Training['status'];
type Action = BodyOf<'/api/households/{id}/training/{trainingId}', 'patch'>['action'];

const STATUS_COLORS: Record<TrainingStatus, string> = { enrolled: 'processing', completed: 'blue', dropped: 'default', placed: 'success' };

interface AddValues {
  memberId: string;
  course: string;
  provider: string;
  enrolledOn: Dayjs;
  measureId?: string;
  programmeCode?: string;
}

/** Fields named as the API's, so its field errors land on them. */
interface ActionValues {
  completedOn?: Dayjs;
  certificate?: string;
  placedOn?: Dayjs;
  employer?: string;
  employerCreditCode?: string;
}

/**
 * 技能培训与就业安置: the members' enrolments, newest first; enrol a member (optionally linked to
 * an employment measure of the plan); mark an enrolment completed (with the certificate), placed
 * in work (with the employer) or dropped, naming the version read.
 */
export function TrainingPanel({ householdId, status, onChanged }: { householdId: string; status: string; onChanged?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { describe, showError } = useApiError();
  const [adding, setAdding] = useState(false);
  const [acting, setActing] = useState<{ record: Training; action: Exclude<Action, 'drop'> } | null>(null);
  const [addForm] = Form.useForm<AddValues>();
  const [actForm] = Form.useForm<ActionValues>();

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}/training', { params: { path: { id: householdId } } })),
    // the status is a dependency: a file that ends takes no new enrolments
    [householdId, status],
  );
  const { data, error, loading, reload } = useAsync(load, [load]);
  const loadOptions = useCallback(
    () =>
      Promise.all([
        unwrap(api.GET('/api/households/{id}', { params: { path: { id: householdId } } })),
        unwrap(api.GET('/api/households/{id}/measures', { params: { path: { id: householdId } } })),
      ]).then(([h, plan]) => ({
        members: h.members.map((m) => ({ id: m.id, name: m.name })),
        measures: plan.items.filter((m) => m.current && m.batch === 'employment').map((m) => ({ id: m.id, target: m.target })),
      })),
    [householdId, status],
  );
  const options = useAsync(loadOptions, [loadOptions]);

  const canWrite = can('household.write');
  const canAdd = canWrite && (data?.editable ?? false);
  const measureTarget = useCallback((id: string | null) => options.data?.measures.find((m) => m.id === id)?.target ?? null, [options.data]);

  const changed = useCallback(() => {
    reload();
    onChanged?.();
  }, [reload, onChanged]);

  const patch = useCallback(
    async (record: Training, action: Action, extra: Omit<BodyOf<'/api/households/{id}/training/{trainingId}', 'patch'>, 'version' | 'action'> = {}) => {
      try {
        await unwrap(
          api.PATCH('/api/households/{id}/training/{trainingId}', {
            params: { path: { id: householdId, trainingId: record.id } },
            body: { version: record.version, action, ...extra },
          }),
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          void message.warning(err.fieldErrors.some((f) => f.field === 'version') ? t('train.stale') : err.message || describe(err));
          setActing(null);
          changed();
          return;
        }
        throw err;
      }
      void message.success(t('train.saved'));
      setActing(null);
      actForm.resetFields();
      changed();
    },
    [householdId, message, t, describe, changed, actForm],
  );

  const columns = useMemo<TableColumnsType<Training>>(
    () => [
      { title: t('train.member'), dataIndex: 'memberName', width: 100, render: (v: string | null) => v ?? '—' },
      {
        title: t('train.course'),
        dataIndex: 'course',
        render: (v: string, r) => {
          const target = measureTarget(r.measureId);
          return (
            <Flex vertical gap={2}>
              <span>{v}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.provider}
              </Typography.Text>
              {target ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: target }}>
                  {t('train.measure')}：{target}
                </Typography.Text>
              ) : null}
            </Flex>
          );
        },
      },
      { title: t('train.enrolledOn'), dataIndex: 'enrolledOn', width: 110 },
      { title: t('train.status'), dataIndex: 'status', width: 90, render: (s: TrainingStatus) => <Tag color={STATUS_COLORS[s]}>{t(`train.status.${s}` as MessageKey)}</Tag> },
      {
        title: t('train.result'),
        key: 'result',
        width: 250,
        render: (_: unknown, r) => {
          const lines: { key: string; head: string; detail: string | null }[] = [];
          if (r.completedOn) lines.push({ key: 'c', head: `${t('train.status.completed')} ${r.completedOn}`, detail: r.certificate });
          if (r.placedOn) lines.push({ key: 'p', head: `${t('train.status.placed')} ${r.placedOn}`, detail: r.employer });
          return lines.length ? (
            <Flex vertical gap={2}>
              {lines.map((l) => (
                <Flex key={l.key} vertical>
                  <span style={{ fontSize: 13 }}>{l.head}</span>
                  {l.detail ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: l.detail }}>
                      {l.detail}
                    </Typography.Text>
                  ) : null}
                </Flex>
              ))}
            </Flex>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          );
        },
      },
      ...(canWrite
        ? [
            {
              title: t('train.actions'),
              key: 'actions',
              width: 190,
              render: (_: unknown, r: Training) => (
                <Flex gap={4} wrap>
                  {r.status === 'enrolled' ? (
                    <Button size="small" onClick={() => setActing({ record: r, action: 'complete' })} data-testid={`train-complete-${r.id}`}>
                      {t('train.complete')}
                    </Button>
                  ) : null}
                  {r.status === 'enrolled' || r.status === 'completed' ? (
                    <Button size="small" onClick={() => setActing({ record: r, action: 'place' })} data-testid={`train-place-${r.id}`}>
                      {t('train.place')}
                    </Button>
                  ) : null}
                  {r.status === 'enrolled' ? (
                    <Popconfirm title={t('train.dropConfirm')} onConfirm={() => patch(r, 'drop').catch(showError)}>
                      <Button size="small" danger data-testid={`train-drop-${r.id}`}>
                        {t('train.drop')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                </Flex>
              ),
            },
          ]
        : []),
    ],
    [t, canWrite, measureTarget, patch, showError],
  );

  const add = async (v: AddValues) => {
    const body: BodyOf<'/api/households/{id}/training', 'post'> = {
      memberId: v.memberId,
      course: v.course.trim(),
      provider: v.provider.trim(),
      enrolledOn: v.enrolledOn.format('YYYY-MM-DD'),
      measureId: v.measureId || null,
      programmeCode: v.programmeCode?.trim() || null,
    };
    await unwrap(api.POST('/api/households/{id}/training', { params: { path: { id: householdId } }, body }));
    void message.success(t('train.saved'));
    setAdding(false);
    addForm.resetFields();
    changed();
  };

  const act = async (v: ActionValues) => {
    if (!acting) return;
    if (acting.action === 'complete') await patch(acting.record, 'complete', { completedOn: v.completedOn?.format('YYYY-MM-DD') ?? null, certificate: v.certificate?.trim() || null });
    else
      await patch(acting.record, 'place', {
        placedOn: v.placedOn?.format('YYYY-MM-DD') ?? null,
        employer: v.employer?.trim() ?? '',
        employerCreditCode: v.employerCreditCode?.trim().toUpperCase() || null,
      });
  };

  const today = chinaToday();
  const notBefore = (from: string) => (x: Dayjs) => x.isAfter(dayjs(today), 'day') || x.isBefore(dayjs(from), 'day');

  return (
    <Card
      title={t('train.title')}
      extra={
        canAdd ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="train-add">
            {t('train.add')}
          </Button>
        ) : null
      }
      data-testid="training-panel"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('train.intro')}
      </Typography.Paragraph>
      {data && !data.editable ? <Alert type="info" showIcon message={t('train.closed')} style={{ marginBottom: 12 }} /> : null}
      {error && !data ? <Alert type="error" showIcon message={describe(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Training>
        rowKey="id"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        pagination={false}
        size="middle"
        tableLayout="fixed"
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('train.empty')} /> }}
        data-testid="training-table"
      />

      <FormModal<AddValues>
        open={adding}
        title={t('train.addTitle')}
        okText={t('common.save')}
        onClose={() => setAdding(false)}
        form={addForm}
        name="train-add"
        onSubmit={add}
        okTestId="train-add-ok"
        formTestId="train-add-form"
        resetOnCancel
        initialValues={{ enrolledOn: dayjs(today) }}
        width={560}
      >
        <Flex gap={16} wrap>
          <Form.Item name="memberId" label={t('train.member')} rules={[{ required: true }]} style={{ flex: '1 1 160px' }}>
            <Select options={(options.data?.members ?? []).map((m) => ({ value: m.id, label: m.name }))} data-testid="train-form-member" />
          </Form.Item>
          <Form.Item name="enrolledOn" label={t('train.enrolledOn')} rules={[{ required: true }]} style={{ flex: '1 1 160px' }}>
            <DatePicker style={{ width: '100%' }} disabledDate={(x) => x.isAfter(dayjs(today), 'day')} data-testid="train-form-enrolled" />
          </Form.Item>
        </Flex>
        <Form.Item name="course" label={t('train.course')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input maxLength={200} data-testid="train-form-course" />
        </Form.Item>
        <Form.Item name="provider" label={t('train.provider')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input maxLength={200} data-testid="train-form-provider" />
        </Form.Item>
        <Form.Item name="measureId" label={t('train.measure')} extra={t('train.measureHelp')}>
          <Select allowClear options={(options.data?.measures ?? []).map((m) => ({ value: m.id, label: m.target }))} data-testid="train-form-measure" />
        </Form.Item>
        <Form.Item name="programmeCode" label={t('train.programmeCode')} extra={t('train.programmeHelp')} rules={[{ max: 64 }]}>
          <Input maxLength={64} data-testid="train-form-programme" />
        </Form.Item>
      </FormModal>

      <FormModal<ActionValues>
        open={acting !== null}
        title={acting ? t(acting.action === 'complete' ? 'train.completeTitle' : 'train.placeTitle', { course: acting.record.course }) : ''}
        okText={t('common.save')}
        onClose={() => setActing(null)}
        form={actForm}
        name="train-act"
        onSubmit={act}
        okTestId="train-act-ok"
        formTestId="train-act-form"
        resetOnCancel
        destroyOnHidden
        forceRender={false}
        initialValues={{ completedOn: dayjs(today), placedOn: dayjs(today) }}
        width={520}
      >
        {acting?.action === 'complete' ? (
          <>
            <Form.Item name="completedOn" label={t('train.completedOn')} rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={notBefore(acting.record.enrolledOn)} data-testid="train-act-completed" />
            </Form.Item>
            <Form.Item name="certificate" label={t('train.certificate')} rules={[{ max: 100 }]}>
              <Input maxLength={100} data-testid="train-act-certificate" />
            </Form.Item>
          </>
        ) : acting ? (
          <>
            <Form.Item name="placedOn" label={t('train.placedOn')} rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={notBefore(acting.record.enrolledOn)} data-testid="train-act-placed" />
            </Form.Item>
            <Form.Item name="employer" label={t('train.employer')} rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input maxLength={200} data-testid="train-act-employer" />
            </Form.Item>
            <Form.Item name="employerCreditCode" label={t('train.employerCreditCode')} extra={t('train.creditHelp')} rules={[{ len: 18 }]}>
              <Input maxLength={18} style={{ textTransform: 'uppercase' }} data-testid="train-act-credit" />
            </Form.Item>
          </>
        ) : null}
      </FormModal>
    </Card>
  );
}
