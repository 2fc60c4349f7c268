import { useEffect } from 'react';
import { Button, Card, Divider, Flex, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { FormModal } from '../../components/FormModal';
import { useT } from '../../i18n/context';
import { YUAN_PATTERN, yuanToFen } from '../../lib/money';

export type Programme = ResponseOf<'/api/programmes', 'get'>['items'][number];

export const KINDS = ['living_subsidy', 'festival_relief', 'education_aid', 'medical_aid', 'temporary_aid', 'entrepreneurship', 'skills_training', 'graduate_employment'];
export const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'postgraduate'];
const FREQUENCIES = ['monthly', 'quarterly', 'yearly', 'academic_year', 'one_off'];
const TYPES = ['deep', 'relative', 'accident'];
const FORMULA_KINDS = ['fixedByHardshipType', 'bySchoolStage', 'shareOfCost', 'fixed', 'loan'] as const;

/** The values each condition kind may take; labelled by the page's `code` helper. */
export const CONDITION_VALUES: Record<string, { prefix: string; values: (string | number)[] }> = {
  status: { prefix: 'status', values: ['draft', 'submitted', 'verified', 'reverifying', 'exited', 'removed'] },
  hardshipType: { prefix: 'prog.type.', values: TYPES },
  targetGroup: { prefix: 'group', values: [1, 2, 3, 4, 5] },
  batch: { prefix: 'prog.batch.', values: ['employment', 'social_insurance', 'medical', 'assistance'] },
  memberSchoolStage: { prefix: 'prog.stage.', values: STAGES },
  memberHealth: { prefix: 'health', values: ['healthy', 'chronic_illness', 'serious_illness', 'disability_1', 'disability_2', 'disability_3', 'disability_4'] },
  memberWorkStatus: { prefix: 'work', values: ['employed', 'laid_off', 'unemployed', 'retired', 'student', 'unable_to_work'] },
};
const CONDITION_KINDS = [...Object.keys(CONDITION_VALUES), 'perCapitaBelowFen'];

/** Form fields carry the API's names (nested), so the server's field errors land on them; amounts in yuan, shares in %. */
interface Values {
  code?: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  fundType: string;
  frequency: string;
  capPerHouseholdYearFen?: string;
  postingRequired: boolean;
  postingDays: number;
  policyBasis?: string;
  regionPrefix?: string;
  eligibility: { allOf: { kind: string; anyOf?: (string | number)[]; value?: string }[] };
  formula: {
    kind: (typeof FORMULA_KINDS)[number];
    amounts?: Record<string, string | undefined>;
    shareBp?: number;
    capFen?: string;
    amountFen?: string;
    maxPrincipalFen?: string;
    interestSubsidyBp?: number;
    termMonths?: number;
  };
}

/** '50000' → '500', '12345' → '123.45' (no separators: for editing). */
const fenToInput = (fen: string | null | undefined) => {
  if (!fen) return undefined;
  const d = fen.padStart(3, '0');
  const whole = d.slice(0, -2).replace(/^0+(?=\d)/, '');
  return d.endsWith('00') ? whole : `${whole}.${d.slice(-2)}`;
};
const fen = (yuan: string | undefined) => (yuan?.trim() ? (yuanToFen(yuan) ?? yuan) : '');

function toValues(p: Programme): Values {
  const f = p.formula;
  const formula: Values['formula'] = { kind: f.kind };
  if (f.kind === 'fixedByHardshipType' || f.kind === 'bySchoolStage') formula.amounts = Object.fromEntries(Object.entries(f.amounts).map(([k, v]) => [k, fenToInput(v)]));
  if (f.kind === 'shareOfCost') Object.assign(formula, { shareBp: f.shareBp / 100, capFen: fenToInput(f.capFen) });
  if (f.kind === 'fixed') formula.amountFen = fenToInput(f.amountFen);
  if (f.kind === 'loan') Object.assign(formula, { maxPrincipalFen: fenToInput(f.maxPrincipalFen), interestSubsidyBp: f.interestSubsidyBp / 100, termMonths: f.termMonths });
  return {
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    kind: p.kind,
    fundType: p.fundType,
    frequency: p.frequency,
    capPerHouseholdYearFen: fenToInput(p.capPerHouseholdYearFen),
    postingRequired: p.postingRequired,
    postingDays: p.postingDays,
    policyBasis: p.policyBasis,
    eligibility: { allOf: p.eligibility.allOf.map((c) => (c.kind === 'perCapitaBelowFen' ? { kind: c.kind, value: fenToInput(c.value) } : { kind: c.kind, anyOf: c.anyOf as (string | number)[] })) },
    formula,
  };
}

function toBody(v: Values) {
  const f = v.formula;
  const amounts = (keys: string[]) => Object.fromEntries(keys.filter((k) => f.amounts?.[k]?.trim()).map((k) => [k, fen(f.amounts![k])]));
  const formula =
    f.kind === 'fixedByHardshipType'
      ? { kind: f.kind, amounts: amounts(TYPES) }
      : f.kind === 'bySchoolStage'
        ? { kind: f.kind, amounts: amounts(STAGES) }
        : f.kind === 'shareOfCost'
          ? { kind: f.kind, shareBp: Math.round((f.shareBp ?? 0) * 100), capFen: fen(f.capFen) }
          : f.kind === 'fixed'
            ? { kind: f.kind, amountFen: fen(f.amountFen) }
            : { kind: f.kind, maxPrincipalFen: fen(f.maxPrincipalFen), interestSubsidyBp: Math.round((f.interestSubsidyBp ?? 0) * 100), termMonths: f.termMonths ?? 0 };
  return {
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    kind: v.kind,
    fundType: v.fundType,
    frequency: v.frequency,
    capPerHouseholdYearFen: v.capPerHouseholdYearFen?.trim() ? fen(v.capPerHouseholdYearFen) : null,
    postingRequired: v.postingRequired,
    postingDays: v.postingDays,
    policyBasis: v.policyBasis ?? '',
    eligibility: { allOf: (v.eligibility?.allOf ?? []).map((c) => (c.kind === 'perCapitaBelowFen' ? { kind: c.kind, value: fen(c.value) } : { kind: c.kind, anyOf: c.anyOf ?? [] })) },
    formula,
  };
}

/** Creates a programme (editing null) or changes one, with a structured editor for the rule and the formula. */
export function ProgrammeFormModal({
  open,
  editing,
  onClose,
  onSaved,
  code,
}: {
  open: boolean;
  editing: Programme | null;
  onClose: () => void;
  onSaved: (p: Programme) => void;
  /** labels a code value of a condition kind */
  code: (prefix: string, c: string | number) => string;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const formulaKind = Form.useWatch(['formula', 'kind'], form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) form.setFieldsValue(toValues(editing));
  }, [open, editing, form]);

  const yuanRule = {
    validator: async (_: unknown, v: string | undefined) => {
      if (v && v.trim() !== '' && !YUAN_PATTERN.test(v.trim())) throw new Error(t('prog.form.yuanInvalid'));
    },
  };
  const req = (label: string) => ({ required: true, message: t('common.required', { field: label }) });
  const yuanInput = (testId: string) => <Input inputMode="decimal" suffix={t('prog.form.yuanUnit')} style={{ width: 160 }} data-testid={testId} />;

  const submit = async (v: Values) => {
    const body = toBody(v);
    const saved = editing
      ? await unwrap(api.PATCH('/api/programmes/{id}', { params: { path: { id: editing.id } }, body: { ...body, version: editing.version } }))
      : await unwrap(api.POST('/api/programmes', { body: { ...body, code: v.code ?? '', regionPrefix: v.regionPrefix?.trim() ?? '' } }));
    onSaved(saved);
  };

  return (
    <FormModal<Values>
      open={open}
      title={editing ? t('prog.form.editTitle') : t('prog.form.createTitle')}
      okText={editing ? t('common.save') : t('common.create')}
      onClose={onClose}
      form={form}
      name="programme"
      onSubmit={submit}
      okTestId="programme-form-submit"
      formTestId="programme-form"
      width={760}
      initialValues={{ postingRequired: true, postingDays: 7, frequency: 'monthly', kind: 'living_subsidy', fundType: 'hardship_fund', eligibility: { allOf: [{ kind: 'status', anyOf: ['verified', 'reverifying'] }] }, formula: { kind: 'fixedByHardshipType' } }}
    >
      {!editing && (
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item name="code" label={t('prog.code')} rules={[req(t('prog.code'))]} extra={t('prog.form.codeHint')}>
            <Input style={{ width: 240 }} data-testid="programme-form-code" />
          </Form.Item>
          <Form.Item name="regionPrefix" label={t('prog.region')} extra={t('prog.form.regionHint')}>
            <Input style={{ width: 160 }} placeholder={t('prog.national')} data-testid="programme-form-region" />
          </Form.Item>
        </Space>
      )}
      <Space size="middle" wrap style={{ display: 'flex' }}>
        <Form.Item name="nameZh" label={t('prog.form.nameZh')} rules={[req(t('prog.form.nameZh'))]}>
          <Input style={{ width: 320 }} data-testid="programme-form-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('prog.form.nameEn')} rules={[req(t('prog.form.nameEn'))]}>
          <Input style={{ width: 320 }} data-testid="programme-form-name-en" />
        </Form.Item>
      </Space>
      <Space size="middle" wrap style={{ display: 'flex' }}>
        <Form.Item name="kind" label={t('prog.kind')} rules={[req(t('prog.kind'))]}>
          <Select style={{ width: 180 }} options={KINDS.map((k) => ({ value: k, label: t(`prog.kind.${k}` as never) }))} />
        </Form.Item>
        <Form.Item name="frequency" label={t('prog.frequency')} rules={[req(t('prog.frequency'))]}>
          <Select style={{ width: 180 }} options={FREQUENCIES.map((k) => ({ value: k, label: t(`prog.freq.${k}` as never) }))} />
        </Form.Item>
        <Form.Item name="fundType" label={t('prog.fundType')} rules={[req(t('prog.fundType'))]}>
          <Input style={{ width: 180 }} />
        </Form.Item>
      </Space>

      <Divider titlePlacement="start" plain>
        {t('prog.amount')}
      </Divider>
      <Form.Item name={['formula', 'kind']} label={t('prog.form.formulaKind')} rules={[req(t('prog.form.formulaKind'))]}>
        <Select style={{ width: 260 }} options={FORMULA_KINDS.map((k) => ({ value: k, label: t(`prog.form.fk.${k}` as never) }))} data-testid="programme-form-formula-kind" />
      </Form.Item>
      {formulaKind === 'fixedByHardshipType' && (
        <Space size="middle" wrap style={{ display: 'flex' }}>
          {TYPES.map((k) => (
            <Form.Item key={k} name={['formula', 'amounts', k]} label={t(`prog.type.${k}` as never)} rules={[yuanRule]}>
              {yuanInput(`programme-form-amount-${k}`)}
            </Form.Item>
          ))}
        </Space>
      )}
      {formulaKind === 'bySchoolStage' && (
        <Space size="middle" wrap style={{ display: 'flex' }}>
          {STAGES.map((k) => (
            <Form.Item key={k} name={['formula', 'amounts', k]} label={t(`prog.stage.${k}` as never)} rules={[yuanRule]}>
              {yuanInput(`programme-form-amount-${k}`)}
            </Form.Item>
          ))}
        </Space>
      )}
      {formulaKind === 'shareOfCost' && (
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item name={['formula', 'shareBp']} label={t('prog.form.share')} rules={[req(t('prog.form.share'))]}>
            <InputNumber min={0.01} max={100} precision={2} suffix="%" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name={['formula', 'capFen']} label={t('prog.form.capPerCase')} rules={[req(t('prog.form.capPerCase')), yuanRule]}>
            {yuanInput('programme-form-cap-case')}
          </Form.Item>
        </Space>
      )}
      {formulaKind === 'fixed' && (
        <Form.Item name={['formula', 'amountFen']} label={t('prog.form.amount')} rules={[req(t('prog.form.amount')), yuanRule]}>
          {yuanInput('programme-form-amount')}
        </Form.Item>
      )}
      {formulaKind === 'loan' && (
        <Space size="middle" wrap style={{ display: 'flex' }}>
          <Form.Item name={['formula', 'maxPrincipalFen']} label={t('prog.form.maxPrincipal')} rules={[req(t('prog.form.maxPrincipal')), yuanRule]}>
            {yuanInput('programme-form-max-principal')}
          </Form.Item>
          <Form.Item name={['formula', 'interestSubsidyBp']} label={t('prog.form.subsidyRate')} rules={[req(t('prog.form.subsidyRate'))]}>
            <InputNumber min={0} max={100} precision={2} suffix="%" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name={['formula', 'termMonths']} label={t('prog.form.term')} rules={[req(t('prog.form.term'))]}>
            <InputNumber min={1} max={120} precision={0} style={{ width: 120 }} />
          </Form.Item>
        </Space>
      )}
      <Space size="middle" wrap style={{ display: 'flex' }}>
        <Form.Item name="capPerHouseholdYearFen" label={t('prog.cap')} rules={[yuanRule]}>
          <Input inputMode="decimal" suffix={t('prog.form.yuanUnit')} style={{ width: 160 }} placeholder={t('prog.noCap')} />
        </Form.Item>
        <Form.Item name="postingRequired" label={t('prog.form.postingRequired')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="postingDays" label={t('prog.form.postingDays')} rules={[req(t('prog.form.postingDays'))]}>
          <InputNumber min={1} max={60} precision={0} style={{ width: 100 }} />
        </Form.Item>
      </Space>

      <Divider titlePlacement="start" plain>
        {t('prog.eligibility')}
      </Divider>
      <Form.List name={['eligibility', 'allOf']}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => (
              <Card key={field.key} size="small" styles={{ body: { paddingBottom: 0 } }}>
                <Flex gap={12} align="start" wrap>
                  <Form.Item name={[field.name, 'kind']} rules={[req(t('prog.form.condition'))]} style={{ width: 200 }}>
                    <Select options={CONDITION_KINDS.map((k) => ({ value: k, label: t(`prog.form.ck.${k}` as never) }))} onChange={() => form.setFieldValue(['eligibility', 'allOf', field.name, 'anyOf'], [])} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const kind = form.getFieldValue(['eligibility', 'allOf', field.name, 'kind']) as string | undefined;
                      if (kind === 'perCapitaBelowFen') {
                        return (
                          <Form.Item name={[field.name, 'value']} rules={[req(t('prog.form.amount')), yuanRule]}>
                            {yuanInput(`programme-form-cond-${field.name}-value`)}
                          </Form.Item>
                        );
                      }
                      const spec = kind ? CONDITION_VALUES[kind] : undefined;
                      return (
                        <Form.Item name={[field.name, 'anyOf']} rules={[{ required: true, type: 'array', min: 1, message: t('prog.form.pickValues') }]} style={{ flex: 1, minWidth: 260 }}>
                          <Select mode="multiple" placeholder={t('prog.form.pickValues')} options={(spec?.values ?? []).map((v) => ({ value: v, label: code(spec!.prefix, v) }))} />
                        </Form.Item>
                      );
                    }}
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} aria-label={t('prog.form.removeCondition')} onClick={() => remove(field.name)} />
                </Flex>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'hardshipType', anyOf: [] })} style={{ alignSelf: 'start' }} data-testid="programme-form-add-condition">
              {t('prog.form.addCondition')}
            </Button>
          </Flex>
        )}
      </Form.List>

      <Form.Item name="policyBasis" label={t('prog.policyBasis')} style={{ marginTop: 16 }} rules={[{ max: 300 }]}>
        <Input.TextArea rows={2} maxLength={300} placeholder={t('prog.form.basisHint')} />
      </Form.Item>
    </FormModal>
  );
}
