import { DatePicker, Form, Input, InputNumber, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { FormModal } from '../../components/FormModal';
import { RegionCascader } from '../../components/RegionCascader';
import { useT } from '../../i18n/context';
import { YUAN_PATTERN, yuanToFen } from '../../lib/money';

export type CreatedStandard = ResponseOf<'/api/standards', 'post', 201>;

/** Form fields carry the API's names, so the server's field errors land on them. */
interface Values {
  regionCode?: string;
  effectiveFrom?: Dayjs;
  /** yuan, typed */
  dibaoLineFen: string;
  minWageFen: string;
  laidOffAllowanceFen?: string;
  /** multiples (1 = 1 ×) and a percentage, typed; sent as basis points */
  deepMultipleBp: number;
  relativeMultipleBp: number;
  accidentRatioBp: number;
  note?: string;
}

const toBp = (value: number, scale: number) => Math.round(value * scale);

/** Adds a local standard: amounts typed in yuan and sent as whole fen, multiples sent as basis points. */
export function StandardCreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (r: CreatedStandard) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  const yuanRules = (label: string, required: boolean) => [
    ...(required ? [{ required: true, whitespace: true, message: t('common.required', { field: label }) }] : []),
    {
      validator: async (_: unknown, v: string | undefined) => {
        if (!v || v.trim() === '') return;
        if (!YUAN_PATTERN.test(v.trim())) throw new Error(t('std.yuanInvalid'));
        if (!/[1-9]/.test(v)) throw new Error(t('std.positive'));
      },
    },
  ];

  const submit = async (v: Values) => {
    const allowance = v.laidOffAllowanceFen?.trim() ? yuanToFen(v.laidOffAllowanceFen) : null;
    const created = await unwrap(
      api.POST('/api/standards', {
        body: {
          regionCode: v.regionCode ?? '',
          effectiveFrom: v.effectiveFrom ? v.effectiveFrom.format('YYYY-MM-DD') : '',
          dibaoLineFen: yuanToFen(v.dibaoLineFen) ?? '',
          minWageFen: yuanToFen(v.minWageFen) ?? '',
          deepMultipleBp: toBp(v.deepMultipleBp, 10_000),
          relativeMultipleBp: toBp(v.relativeMultipleBp, 10_000),
          accidentRatioBp: toBp(v.accidentRatioBp, 100),
          laidOffAllowanceFen: allowance,
          note: v.note?.trim() || null,
        },
      }),
    );
    form.resetFields();
    onCreated(created);
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('std.createTitle')}
      okText={t('common.create')}
      onClose={onClose}
      form={form}
      name="standardCreate"
      onSubmit={submit}
      okTestId="standard-create-submit"
      formTestId="standard-create-form"
      width={600}
      initialValues={{ deepMultipleBp: 1, relativeMultipleBp: 2, accidentRatioBp: 80 }}
    >
      <Form.Item name="regionCode" label={t('std.region')} rules={[{ required: true, message: t('common.selectRequired', { field: t('std.region') }) }]}>
        <RegionCascader data-testid="standard-form-region" />
      </Form.Item>
      <Form.Item
        name="effectiveFrom"
        label={t('std.effectiveFrom')}
        extra={t('std.immutableHint')}
        rules={[{ required: true, message: t('common.selectRequired', { field: t('std.effectiveFrom') }) }]}
      >
        <DatePicker style={{ width: 200 }} data-testid="standard-form-date" />
      </Form.Item>
      <Space size="middle" wrap style={{ display: 'flex' }}>
        <Form.Item name="dibaoLineFen" label={`${t('std.dibaoLine')}（${t('std.dibaoLineUnit')}）`} rules={yuanRules(t('std.dibaoLine'), true)}>
          <Input inputMode="decimal" style={{ width: 200 }} suffix={t('std.yuan')} data-testid="standard-form-dibao" />
        </Form.Item>
        <Form.Item name="minWageFen" label={`${t('std.minWage')}（${t('std.minWageUnit')}）`} rules={yuanRules(t('std.minWage'), true)}>
          <Input inputMode="decimal" style={{ width: 200 }} suffix={t('std.yuan')} data-testid="standard-form-minwage" />
        </Form.Item>
      </Space>
      <Space size="middle" wrap style={{ display: 'flex' }}>
        <Form.Item name="deepMultipleBp" label={t('std.deepMultiple')} tooltip={t('std.multipleHint')} rules={[{ required: true, message: t('common.required', { field: t('std.deepMultiple') }) }]}>
          <InputNumber min={0.01} max={10} step={0.1} precision={2} suffix={t('std.times')} style={{ width: 160 }} data-testid="standard-form-deep" />
        </Form.Item>
        <Form.Item
          name="relativeMultipleBp"
          label={t('std.relativeMultiple')}
          tooltip={t('std.multipleHint')}
          dependencies={['deepMultipleBp']}
          rules={[
            { required: true, message: t('common.required', { field: t('std.relativeMultiple') }) },
            ({ getFieldValue }) => ({
              validator: async (_: unknown, v: number | null) => {
                const deep = getFieldValue('deepMultipleBp') as number | null;
                if (v !== null && v !== undefined && deep !== null && deep !== undefined && v < deep) throw new Error(t('std.relativeBelowDeep'));
              },
            }),
          ]}
        >
          <InputNumber min={0.01} max={10} step={0.1} precision={2} suffix={t('std.times')} style={{ width: 160 }} data-testid="standard-form-relative" />
        </Form.Item>
        <Form.Item name="accidentRatioBp" label={t('std.accidentRatio')} tooltip={t('std.accidentRatioHint')} rules={[{ required: true, message: t('common.required', { field: t('std.accidentRatio') }) }]}>
          <InputNumber min={1} max={1000} step={5} precision={2} suffix={t('std.percent')} style={{ width: 160 }} data-testid="standard-form-accident" />
        </Form.Item>
      </Space>
      <Form.Item name="laidOffAllowanceFen" label={`${t('std.laidOffAllowance')}（${t('std.minWageUnit')}）`} rules={yuanRules(t('std.laidOffAllowance'), false)}>
        <Input inputMode="decimal" style={{ width: 200 }} suffix={t('std.yuan')} placeholder={t('common.optional')} data-testid="standard-form-allowance" />
      </Form.Item>
      <Form.Item name="note" label={t('std.note')} rules={[{ max: 200 }]}>
        <Input.TextArea rows={2} maxLength={200} placeholder={t('common.optional')} data-testid="standard-form-note" />
      </Form.Item>
    </FormModal>
  );
}
