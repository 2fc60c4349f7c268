import { useEffect } from 'react';
import { Alert, Button, DatePicker, Flex, Form, Radio, Select, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { BodyOf } from '../../../api/types';
import { FormModal } from '../../../components/FormModal';
import { RegionCascader } from '../../../components/RegionCascader';
import { useI18n } from '../../../i18n/context';
import { kindLabel, prefixOf, STEP_LEVELS, StepChain, type StepLevel } from './policyLabels';

/** What the dialog starts from: a row being adjusted, or nothing (a new setting). */
export interface PolicyDraft {
  regionPrefix: string;
  steps: { level: StepLevel }[];
}

/** Form fields carry the API's names, so the server's field errors (regionPrefix, steps/0/level, effectiveFrom) land on them. */
interface Values {
  scope: 'national' | 'region';
  /** a region code of any level while choosing; sent as its prefix */
  regionPrefix?: string;
  steps: { level?: StepLevel }[];
  effectiveFrom?: Dayjs;
}

const MAX_STEPS = 10;

type Permission = BodyOf<'/api/approval-policies', 'put'>['steps'][number]['permission'];

/**
 * Sets the approval steps of one kind for a region prefix from a date (PUT /api/approval-policies).
 * Every step needs the kind's approve permission; only the levels and their order are chosen here.
 */
export function SetPolicyModal({
  open,
  kind,
  permission,
  draft,
  national,
  scopeRegion,
  onClose,
  onSaved,
}: {
  open: boolean;
  kind: string;
  /** the kind's approve permission, e.g. 'household.approve' */
  permission: string;
  draft: PolicyDraft | null;
  /** the caller's scope is national: they may set the nationwide workflow */
  national: boolean;
  /** the caller's scope region ('' national), where a new setting starts */
  scopeRegion: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, has } = useI18n();
  const [form] = Form.useForm<Values>();
  const scope = Form.useWatch('scope', form);
  const steps = Form.useWatch('steps', form) ?? [];

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      scope: draft ? (draft.regionPrefix === '' ? 'national' : 'region') : national ? 'national' : 'region',
      regionPrefix: draft ? (draft.regionPrefix ? draft.regionPrefix.padEnd(6, '0') : undefined) : scopeRegion || undefined,
      steps: (draft?.steps ?? [{ level: 'county' }, { level: 'city' }]).map((s) => ({ level: s.level })),
      effectiveFrom: dayjs(),
    });
  }, [open, draft, national, scopeRegion, form]);

  const submit = async (v: Values) => {
    await unwrap(
      api.PUT('/api/approval-policies', {
        body: {
          kind,
          regionPrefix: v.scope === 'national' ? '' : prefixOf(v.regionPrefix ?? ''),
          steps: v.steps.map((s) => ({ level: s.level as StepLevel, permission: permission as Permission })),
          effectiveFrom: (v.effectiveFrom ?? dayjs()).format('YYYY-MM-DD'),
        },
      }),
    );
    onSaved();
  };

  const permLabel = has(`perm.${permission}`) ? t(`perm.${permission}` as Parameters<typeof t>[0]) : permission;
  const complete = steps.filter((s): s is { level: StepLevel } => !!s?.level);
  // usually each step goes up a level; a step back down is allowed but worth a second look
  const ascending = complete.every((s, i) => i === 0 || STEP_LEVELS.indexOf(s.level) >= STEP_LEVELS.indexOf(complete[i - 1]!.level));

  return (
    <FormModal<Values>
      open={open}
      title={t('pol.setTitle', { kind: kindLabel(t, has, kind) })}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      name="policySet"
      onSubmit={submit}
      okTestId="policy-set-submit"
      formTestId="policy-set-form"
      width={560}
    >
      <Form.Item name="scope" label={t('pol.scope')} hidden={!national}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'national', label: t('pol.national') },
            { value: 'region', label: t('pol.scopeRegion') },
          ]}
          data-testid="policy-set-scope"
        />
      </Form.Item>
      {scope === 'region' ? (
        <Form.Item
          name="regionPrefix"
          label={t('pol.prefix')}
          extra={t('pol.prefixHint')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('pol.prefix') }) }]}
        >
          <RegionCascader maxLevel="any" data-testid="policy-set-region" />
        </Form.Item>
      ) : null}

      <Form.Item label={t('pol.steps')} required extra={t('pol.stepsHint', { perm: permLabel })}>
        <Form.List
          name="steps"
          rules={[
            {
              validator: async (_: unknown, list: unknown[] | undefined) => {
                if (!list || list.length === 0) throw new Error(t('pol.stepsRequired'));
              },
            },
          ]}
        >
          {(fields, { add, remove, move }, { errors }) => (
            <Flex vertical gap={8}>
              {fields.map((field, i) => (
                <Flex key={field.key} gap={8} align="center" data-testid={`policy-step-${i}`}>
                  <Typography.Text type="secondary" style={{ width: 56, flex: 'none' }}>
                    {t('pol.stepN', { n: i + 1 })}
                  </Typography.Text>
                  <Form.Item
                    name={[field.name, 'level']}
                    noStyle
                    rules={[{ required: true, message: t('common.selectRequired', { field: t('pol.level') }) }]}
                  >
                    <Select
                      style={{ width: 160 }}
                      aria-label={t('pol.level')}
                      options={STEP_LEVELS.map((l) => ({ value: l, label: t(`appr.level.${l}`) }))}
                      data-testid={`policy-step-level-${i}`}
                    />
                  </Form.Item>
                  <Tooltip title={t('pol.moveUp')}>
                    <Button icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t('pol.moveUp')} data-testid={`policy-step-up-${i}`} />
                  </Tooltip>
                  <Tooltip title={t('pol.moveDown')}>
                    <Button
                      icon={<ArrowDownOutlined />}
                      disabled={i === fields.length - 1}
                      onClick={() => move(i, i + 1)}
                      aria-label={t('pol.moveDown')}
                      data-testid={`policy-step-down-${i}`}
                    />
                  </Tooltip>
                  <Tooltip title={t('pol.remove')}>
                    <Button icon={<DeleteOutlined />} danger disabled={fields.length === 1} onClick={() => remove(i)} aria-label={t('pol.remove')} data-testid={`policy-step-remove-${i}`} />
                  </Tooltip>
                </Flex>
              ))}
              <div>
                <Button icon={<PlusOutlined />} disabled={fields.length >= MAX_STEPS} onClick={() => add({ level: 'province' })} data-testid="policy-step-add">
                  {t('pol.addStep')}
                </Button>
              </div>
              <Form.ErrorList errors={errors} />
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      {complete.length > 0 ? (
        <Alert
          type={ascending ? 'info' : 'warning'}
          style={{ marginBottom: 16 }}
          title={
            <span>
              {t('pol.preview')}
              <StepChain steps={complete} t={t} />
            </span>
          }
          description={ascending ? undefined : t('pol.orderWarning')}
          data-testid="policy-set-preview"
        />
      ) : null}

      <Form.Item
        name="effectiveFrom"
        label={t('pol.effectiveFrom')}
        extra={t('pol.effectiveHint')}
        rules={[{ required: true, message: t('common.selectRequired', { field: t('pol.effectiveFrom') }) }]}
      >
        <DatePicker style={{ width: 200 }} allowClear={false} data-testid="policy-set-date" />
      </Form.Item>
    </FormModal>
  );
}
