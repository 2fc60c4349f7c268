import { type ChangeEvent, useEffect, useState } from 'react';
import { App, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useI18n } from '../../i18n/context';
import { YUAN_PATTERN, yuanToFen } from '../../lib/money';
import { chinaToday, type EntryDetail, fundTypeOptions, sourceOptions, useFundCodes, yuan } from './shared';
import { FundOrgSelect } from './OrgSelect';

// 登记到账 and 下拨资金. The amount is typed in 元 and sent as whole fen (string arithmetic, never a
// float); its field is named amountFen so that the server's errors on the amount land on it.

const DAY = 'YYYY-MM-DD';
const notFuture = (d: Dayjs) => d.isAfter(dayjs(chinaToday()), 'day');

function useAmountRules() {
  const { t } = useI18n();
  return [
    { required: true, message: t('fund.f.required') },
    {
      validator: async (_: unknown, v: string | undefined) => {
        if (!v) return;
        if (!YUAN_PATTERN.test(v.trim())) throw new Error(t('fund.f.amountInvalid'));
        if (BigInt(yuanToFen(v) ?? '0') <= 0n) throw new Error(t('fund.f.amountZero'));
      },
    },
  ];
}

const AmountInput = (props: { id?: string; value?: string; onChange?: (e: ChangeEvent<HTMLInputElement>) => void; 'data-testid'?: string }) => (
  <Input {...props} inputMode="decimal" placeholder="0.00" autoComplete="off" />
);

interface ReceiptValues {
  orgId: string;
  fundType: string;
  source: string;
  amountFen: string;
  receivedOn: Dayjs;
  reference?: string;
  memo?: string;
}

export function ReceiptModal({ open, onClose, onDone, defaults }: { open: boolean; onClose: () => void; onDone: (e: EntryDetail) => void; defaults?: { orgId?: string; fundType?: string } }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const codes = useFundCodes();
  const [form] = Form.useForm<ReceiptValues>();
  const amountRules = useAmountRules();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ orgId: defaults?.orgId, fundType: defaults?.fundType ?? 'hardship_fund', receivedOn: dayjs(chinaToday()) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async (v: ReceiptValues) => {
    const e = await unwrap(
      api.POST('/api/funds/receipts', {
        body: {
          orgId: v.orgId,
          fundType: v.fundType,
          source: v.source,
          amountFen: yuanToFen(v.amountFen) ?? v.amountFen,
          receivedOn: v.receivedOn.format(DAY),
          reference: v.reference?.trim() || null,
          memo: v.memo?.trim() || null,
        },
      }),
    );
    void message.success(t('fund.receipt.done', { amount: yuan(e.amountFen) }));
    onDone(e);
  };

  return (
    <FormModal<ReceiptValues>
      open={open}
      title={t('fund.receipt.title')}
      okText={t('fund.receipt.ok')}
      onClose={onClose}
      form={form}
      name="fund-receipt"
      onSubmit={submit}
      okTestId="fund-receipt-ok"
      formTestId="fund-receipt-form"
      width={560}
    >
      <Form.Item name="orgId" label={t('fund.f.org')} rules={[{ required: true, message: t('fund.f.required') }]}>
        <FundOrgSelect onlyActive data-testid="fund-receipt-org" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="fundType" label={t('fund.f.fundType')} rules={[{ required: true, message: t('fund.f.required') }]}>
            <Select options={fundTypeOptions(t, codes.fundTypes)} popupMatchSelectWidth={false} data-testid="fund-receipt-type" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="source" label={t('fund.f.source')} rules={[{ required: true, message: t('fund.f.required') }]}>
            <Select options={sourceOptions(t, codes.sources)} popupMatchSelectWidth={false} data-testid="fund-receipt-source" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="amountFen" label={t('fund.f.amount')} rules={amountRules}>
            <AmountInput data-testid="fund-receipt-amount" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="receivedOn" label={t('fund.f.receivedOn')} rules={[{ required: true, message: t('fund.f.required') }]}>
            <DatePicker allowClear={false} disabledDate={notFuture} style={{ width: '100%' }} data-testid="fund-receipt-date" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="reference" label={t('fund.f.reference')}>
        <Input maxLength={100} placeholder={t('fund.f.referencePlaceholder')} data-testid="fund-receipt-reference" />
      </Form.Item>
      <Form.Item name="memo" label={t('fund.f.memo')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="fund-receipt-memo" />
      </Form.Item>
    </FormModal>
  );
}

interface AllocationValues {
  fromOrgId: string;
  toOrgId: string;
  fundType: string;
  amountFen: string;
  allocatedOn: Dayjs;
  reference?: string;
  memo?: string;
}

export function AllocationModal({ open, onClose, onDone, defaults }: { open: boolean; onClose: () => void; onDone: (e: EntryDetail) => void; defaults?: { orgId?: string; fundType?: string } }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const codes = useFundCodes();
  const [form] = Form.useForm<AllocationValues>();
  const amountRules = useAmountRules();
  const fromOrgId = Form.useWatch('fromOrgId', form);
  const fundType = Form.useWatch('fundType', form);
  const [available, setAvailable] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ fromOrgId: defaults?.orgId, fundType: defaults?.fundType ?? 'hardship_fund', allocatedOn: dayjs(chinaToday()) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  // What the giver holds of this fund, as a hint under the amount.
  useEffect(() => {
    setAvailable(null);
    if (!open || !fromOrgId || !fundType) return;
    let cancelled = false;
    unwrap(api.GET('/api/funds', { params: { query: { orgId: fromOrgId, fundType: fundType as never } } }))
      .then((r) => !cancelled && setAvailable(r.items[0]?.availableFen ?? '0'))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [open, fromOrgId, fundType]);

  const submit = async (v: AllocationValues) => {
    const amountFen = yuanToFen(v.amountFen) ?? v.amountFen;
    const e = await unwrap(
      api.POST('/api/funds/allocations', {
        body: {
          fromOrgId: v.fromOrgId,
          toOrgId: v.toOrgId,
          fundType: v.fundType,
          amountFen,
          allocatedOn: v.allocatedOn.format(DAY),
          reference: v.reference?.trim() || null,
          memo: v.memo?.trim() || null,
        },
      }),
    ).catch(async (err: unknown) => {
      // Short of money: say it in yuan, with what the giver holds now.
      if (err instanceof ApiError && err.code === 'CONFLICT' && /^\d+$/.test(amountFen)) {
        const now = await unwrap(api.GET('/api/funds', { params: { query: { orgId: v.fromOrgId, fundType: v.fundType as never } } })).catch(() => null);
        const have = now?.items[0]?.availableFen ?? available ?? '0';
        setAvailable(have);
        const short = (BigInt(amountFen) - BigInt(have)).toString();
        throw new ApiError(err.status, { code: err.code, message: err.message, details: [{ field: 'amountFen', message: t('fund.f.short', { short: yuan(short) }) }] });
      }
      throw err;
    });
    void message.success(t('fund.allocation.done', { amount: yuan(e.amountFen) }));
    onDone(e);
  };

  return (
    <FormModal<AllocationValues>
      open={open}
      title={t('fund.allocation.title')}
      okText={t('fund.allocation.ok')}
      onClose={onClose}
      form={form}
      name="fund-allocation"
      onSubmit={submit}
      okTestId="fund-allocation-ok"
      formTestId="fund-allocation-form"
      width={560}
    >
      <Form.Item name="fromOrgId" label={t('fund.f.fromOrg')} rules={[{ required: true, message: t('fund.f.required') }]}>
        <FundOrgSelect onChange={() => form.setFieldValue('toOrgId', undefined)} data-testid="fund-allocation-from" />
      </Form.Item>
      <Form.Item name="toOrgId" label={t('fund.f.toOrg')} rules={[{ required: true, message: t('fund.f.required') }]}>
        <FundOrgSelect rootId={fromOrgId} needsRoot placeholder={fromOrgId ? undefined : t('fund.f.toOrgFirst')} data-testid="fund-allocation-to" />
      </Form.Item>
      <Form.Item
        name="fundType"
        label={t('fund.f.fundType')}
        rules={[{ required: true, message: t('fund.f.required') }]}
        extra={available !== null ? <span data-testid="fund-allocation-available">{t('fund.f.available', { amount: yuan(available) })}</span> : undefined}
      >
        <Select options={fundTypeOptions(t, codes.fundTypes)} data-testid="fund-allocation-type" />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="amountFen" label={t('fund.f.amount')} rules={amountRules}>
            <AmountInput data-testid="fund-allocation-amount" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="allocatedOn" label={t('fund.f.allocatedOn')} rules={[{ required: true, message: t('fund.f.required') }]}>
            <DatePicker allowClear={false} disabledDate={notFuture} style={{ width: '100%' }} data-testid="fund-allocation-date" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="reference" label={t('fund.f.reference')}>
        <Input maxLength={100} placeholder={t('fund.f.referencePlaceholder')} data-testid="fund-allocation-reference" />
      </Form.Item>
      <Form.Item name="memo" label={t('fund.f.memo')}>
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="fund-allocation-memo" />
      </Form.Item>
    </FormModal>
  );
}
