import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Flex, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { BodyOf, ResponseOf } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { FormModal } from '../../../components/FormModal';
import { useT } from '../../../i18n/context';
import type { MessageKey } from '../../../i18n/zh-CN';
import { fenToYuan, YUAN_PATTERN, yuanToFen } from '../../../lib/money';
import { useAsync } from '../../../lib/useAsync';
import { chinaToday } from './chinaToday';

type LoanList = ResponseOf<'/api/households/{id}/loans', 'get'>;
type Loan = LoanList['items'][number];
type LoanDetail = ResponseOf<'/api/households/{id}/loans/{loanId}', 'get'>;
type Instalment = LoanDetail['schedule'][number];
type Method = Loan['method'];
type LoanStatus = Loan['status'];

const METHODS: readonly Method[] = ['equal_principal', 'bullet'];
const STATUS_COLORS: Record<LoanStatus, string> = { active: 'processing', repaid: 'success', written_off: 'default' };
const PERCENT_PATTERN = /^\d{1,3}(\.\d{1,2})?$/;

/** '4.35' → 435 basis points, by string arithmetic; null when malformed. */
export function percentToBp(percent: string): number | null {
  const s = percent.trim();
  if (!PERCENT_PATTERN.test(s)) return null;
  const [whole = '0', frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** 435 → '4.35' */
export const bpToPercent = (bp: number) => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`.replace(/\.00$/, '');

/** Fields named as the API's, so its field errors land on them; amounts typed in yuan, rates in percent. */
interface AddValues {
  memberId?: string;
  lender: string;
  principalFen: string;
  annualRateBp: string;
  subsidyBp: string;
  termMonths: number;
  startMonth: Dayjs;
  method: Method;
  programmeCode?: string;
  purpose: string;
}

interface RepaymentValues {
  paidOn: Dayjs;
  amountFen: string;
  note?: string;
}

/**
 * 创业担保贷款: the household's loans with totals, repaid and overdue; record a loan (yuan typed,
 * fen sent); open a loan's schedule (principal, interest, subsidy per month, totals) and record a
 * repayment.
 */
export function LoansPanel({ householdId, status, onChanged }: { householdId: string; status: string; onChanged?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { describe } = useApiError();
  const [adding, setAdding] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [repaying, setRepaying] = useState(false);
  const [addForm] = Form.useForm<AddValues>();
  const [payForm] = Form.useForm<RepaymentValues>();

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}/loans', { params: { path: { id: householdId } } })),
    // the status is a dependency: a file that ends takes no new loans
    [householdId, status],
  );
  const { data, error, loading, reload } = useAsync(load, [load]);
  const loadMembers = useCallback(
    () => unwrap(api.GET('/api/households/{id}', { params: { path: { id: householdId } } })).then((h) => h.members.map((m) => ({ id: m.id, name: m.name }))),
    [householdId],
  );
  const members = useAsync(loadMembers, [loadMembers]);
  const loadDetail = useCallback(
    () => (openId ? unwrap(api.GET('/api/households/{id}/loans/{loanId}', { params: { path: { id: householdId, loanId: openId } } })) : Promise.resolve(null)),
    [householdId, openId],
  );
  const detail = useAsync(loadDetail, [loadDetail]);

  const canWrite = can('household.write');
  const canAdd = canWrite && (data?.editable ?? false);

  const changed = useCallback(() => {
    reload();
    detail.reload();
    onChanged?.();
  }, [reload, detail, onChanged]);

  const yuanRules = (required: boolean) => [
    { required, message: t('loan.yuanInvalid') },
    {
      validator: async (_: unknown, v?: string) => {
        if (v && v.trim() && (!YUAN_PATTERN.test(v.trim()) || yuanToFen(v) === '0')) throw new Error(t('loan.yuanInvalid'));
      },
    },
  ];
  const percentRules = (max: number, tooHigh: MessageKey) => [
    { required: true, message: t('loan.percentInvalid') },
    {
      validator: async (_: unknown, v?: string) => {
        if (!v || !v.trim()) return;
        const bp = percentToBp(v);
        if (bp === null) throw new Error(t('loan.percentInvalid'));
        if (bp > max) throw new Error(t(tooHigh));
      },
    },
  ];

  const columns = useMemo<TableColumnsType<Loan>>(
    () => [
      {
        title: t('loan.lender'),
        dataIndex: 'lender',
        render: (v: string, l) => (
          <Flex vertical gap={2}>
            <span>{v}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {l.memberName ?? t('loan.memberNone')} · {l.purpose}
            </Typography.Text>
          </Flex>
        ),
      },
      { title: t('loan.principal'), dataIndex: 'principalFen', width: 130, align: 'right', render: (v: string) => fenToYuan(v) },
      {
        title: `${t('loan.rate')} / ${t('loan.subsidy')}`,
        key: 'rate',
        width: 120,
        render: (_: unknown, l) => `${bpToPercent(l.annualRateBp)}% / ${bpToPercent(l.subsidyBp)}%`,
      },
      {
        title: t('loan.term'),
        key: 'term',
        width: 150,
        render: (_: unknown, l) => (
          <Flex vertical gap={2}>
            <span>
              {l.startMonth} · {t('loan.months', { n: l.termMonths })}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`loan.method.${l.method}` as MessageKey)}
            </Typography.Text>
          </Flex>
        ),
      },
      {
        title: `${t('loan.repaid')} / ${t('loan.remaining')}`,
        key: 'repaid',
        width: 170,
        align: 'right',
        render: (_: unknown, l) => (
          <Flex vertical gap={2} align="end">
            <span>
              {fenToYuan(l.repaidFen)} / {fenToYuan(l.remainingFen)}
            </span>
            {l.overdueCount > 0 ? <Tag color="error">{t('loan.overdue', { n: l.overdueCount })}</Tag> : null}
          </Flex>
        ),
      },
      { title: t('loan.status'), dataIndex: 'status', width: 90, render: (s: LoanStatus) => <Tag color={STATUS_COLORS[s]}>{t(`loan.status.${s}` as MessageKey)}</Tag> },
      {
        title: t('loan.actions'),
        key: 'actions',
        width: 100,
        render: (_: unknown, l) => (
          <Button size="small" onClick={() => setOpenId(l.id)} data-testid={`loan-view-${l.id}`}>
            {t('loan.view')}
          </Button>
        ),
      },
    ],
    [t],
  );

  const overdueSeqs = useMemo(() => new Set((detail.data?.overdue ?? []).map((o) => o.seq)), [detail.data]);

  const scheduleColumns = useMemo<TableColumnsType<Instalment>>(
    () => [
      { title: t('loan.seq'), dataIndex: 'seq', width: 60 },
      {
        title: t('loan.dueOn'),
        dataIndex: 'dueOn',
        width: 180,
        render: (v: string, i) => (
          <Flex gap={4} align="center">
            <span>{v}</span>
            {overdueSeqs.has(i.seq) ? <Tag color="error">{t('loan.overdueTag')}</Tag> : null}
          </Flex>
        ),
      },
      { title: t('loan.principalPart'), dataIndex: 'principalFen', align: 'right', render: (v: string) => fenToYuan(v) },
      { title: t('loan.interest'), dataIndex: 'interestFen', align: 'right', render: (v: string) => fenToYuan(v) },
      { title: t('loan.subsidyPart'), dataIndex: 'subsidyFen', align: 'right', render: (v: string) => fenToYuan(v) },
      { title: t('loan.due'), dataIndex: 'dueFen', align: 'right', render: (v: string) => <Typography.Text strong>{fenToYuan(v)}</Typography.Text> },
      { title: t('loan.balance'), dataIndex: 'balanceAfterFen', align: 'right', render: (v: string) => fenToYuan(v) },
    ],
    [t, overdueSeqs],
  );

  const add = async (v: AddValues) => {
    const body: BodyOf<'/api/households/{id}/loans', 'post'> = {
      memberId: v.memberId || null,
      programmeCode: v.programmeCode?.trim() || null,
      lender: v.lender.trim(),
      principalFen: yuanToFen(v.principalFen) ?? '',
      annualRateBp: percentToBp(v.annualRateBp) ?? -1,
      subsidyBp: percentToBp(v.subsidyBp) ?? -1,
      termMonths: v.termMonths,
      startMonth: v.startMonth.format('YYYY-MM'),
      method: v.method,
      purpose: v.purpose.trim(),
    };
    const loan = await unwrap(api.POST('/api/households/{id}/loans', { params: { path: { id: householdId } }, body }));
    void message.success(t('loan.saved'));
    setAdding(false);
    addForm.resetFields();
    changed();
    setOpenId(loan.id);
  };

  const repay = async (v: RepaymentValues) => {
    if (!openId) return;
    await unwrap(
      api.POST('/api/households/{id}/loans/{loanId}/repayments', {
        params: { path: { id: householdId, loanId: openId } },
        body: { paidOn: v.paidOn.format('YYYY-MM-DD'), amountFen: yuanToFen(v.amountFen) ?? '', note: v.note?.trim() || null },
      }),
    );
    void message.success(t('loan.saved'));
    setRepaying(false);
    payForm.resetFields();
    changed();
  };

  const d = detail.data;
  const today = chinaToday();

  return (
    <Card
      title={t('loan.title')}
      extra={
        canAdd ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="loan-add">
            {t('loan.add')}
          </Button>
        ) : null
      }
      data-testid="loans-panel"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('loan.intro')}
      </Typography.Paragraph>
      {data && !data.editable ? <Alert type="info" showIcon message={t('loan.closed')} style={{ marginBottom: 12 }} /> : null}
      {error && !data ? <Alert type="error" showIcon message={describe(error)} style={{ marginBottom: 12 }} /> : null}
      <Table<Loan>
        rowKey="id"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        pagination={false}
        size="middle"
        tableLayout="fixed"
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loan.empty')} /> }}
        data-testid="loans-table"
      />

      <Modal
        open={openId !== null}
        title={d ? t('loan.detailTitle', { lender: d.lender }) : t('loan.view')}
        onCancel={() => setOpenId(null)}
        footer={null}
        width={960}
        destroyOnHidden
      >
        {detail.error && !d ? <Alert type="error" showIcon message={describe(detail.error)} /> : null}
        {d ? (
          <Flex vertical gap={16} data-testid="loan-detail">
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} bordered>
              <Descriptions.Item label={t('loan.member')}>{d.memberName ?? t('loan.memberNone')}</Descriptions.Item>
              <Descriptions.Item label={t('loan.principal')}>{fenToYuan(d.principalFen)}</Descriptions.Item>
              <Descriptions.Item label={t('loan.method')}>{t(`loan.method.${d.method}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('loan.rate')}>{bpToPercent(d.annualRateBp)}%</Descriptions.Item>
              <Descriptions.Item label={t('loan.subsidy')}>{bpToPercent(d.subsidyBp)}%</Descriptions.Item>
              <Descriptions.Item label={t('loan.term')}>
                {d.startMonth} · {t('loan.months', { n: d.termMonths })}
              </Descriptions.Item>
              <Descriptions.Item label={t('loan.purpose')} span={2}>
                {d.purpose}
              </Descriptions.Item>
              <Descriptions.Item label={t('loan.status')}>
                <Tag color={STATUS_COLORS[d.status]}>{t(`loan.status.${d.status}` as MessageKey)}</Tag>
              </Descriptions.Item>
            </Descriptions>
            {d.overdue.length > 0 ? (
              <Alert type="error" showIcon message={t('loan.overdueAlert', { n: d.overdue.length, amount: fenToYuan(d.overdueFen) })} />
            ) : null}
            <Table<Instalment>
              rowKey="seq"
              columns={scheduleColumns}
              dataSource={d.schedule}
              pagination={d.schedule.length > 24 ? { pageSize: 24, showSizeChanger: false } : false}
              size="small"
              scroll={{ x: 760, y: 360 }}
              data-testid="loan-schedule"
              summary={() => (
                <Table.Summary fixed>
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={2}>
                      <Typography.Text strong>{t('loan.total')}</Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">{fenToYuan(d.principalFen)}</Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">{fenToYuan(d.totalInterestFen)}</Table.Summary.Cell>
                    <Table.Summary.Cell index={4} align="right">{fenToYuan(d.totalSubsidyFen)}</Table.Summary.Cell>
                    <Table.Summary.Cell index={5} align="right">
                      <Typography.Text strong>{fenToYuan(d.totalDueFen)}</Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={6} />
                  </Table.Summary.Row>
                </Table.Summary>
              )}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('loan.rule')}
            </Typography.Text>
            <Flex justify="space-between" align="center">
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('loan.repayments')}
              </Typography.Title>
              <Flex gap={12} align="center">
                <Typography.Text>
                  {t('loan.repaid')} {fenToYuan(d.repaidFen)} · {t('loan.remaining')} {fenToYuan(d.remainingFen)}
                </Typography.Text>
                {canWrite && d.status === 'active' ? (
                  <Button type="primary" size="small" onClick={() => setRepaying(true)} data-testid="loan-repay">
                    {t('loan.addRepayment')}
                  </Button>
                ) : null}
              </Flex>
            </Flex>
            <Table
              rowKey="seq"
              size="small"
              pagination={false}
              dataSource={d.repayments}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('loan.noRepayments')} /> }}
              columns={[
                { title: t('loan.seq'), dataIndex: 'seq', width: 60 },
                { title: t('loan.paidOn'), dataIndex: 'paidOn', width: 130 },
                { title: t('loan.amount'), dataIndex: 'amountFen', width: 140, align: 'right', render: (v: string) => fenToYuan(v) },
                { title: t('loan.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
              ]}
              data-testid="loan-repayments"
            />
          </Flex>
        ) : null}
      </Modal>

      <FormModal<AddValues>
        open={adding}
        title={t('loan.addTitle')}
        okText={t('common.save')}
        onClose={() => setAdding(false)}
        form={addForm}
        name="loan-add"
        onSubmit={add}
        okTestId="loan-add-ok"
        formTestId="loan-add-form"
        resetOnCancel
        initialValues={{ method: 'equal_principal', subsidyBp: '100', termMonths: 24, startMonth: dayjs(today) }}
        width={640}
      >
        <Flex gap={16} wrap>
          <Form.Item name="memberId" label={t('loan.member')} style={{ flex: '1 1 200px' }}>
            <Select allowClear options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))} data-testid="loan-form-member" />
          </Form.Item>
          <Form.Item name="lender" label={t('loan.lender')} rules={[{ required: true, whitespace: true, max: 100 }]} style={{ flex: '1 1 240px' }}>
            <Input maxLength={100} data-testid="loan-form-lender" />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="principalFen" label={t('loan.principalYuan')} rules={yuanRules(true)} style={{ flex: '1 1 160px' }}>
            <Input inputMode="decimal" data-testid="loan-form-principal" />
          </Form.Item>
          <Form.Item name="annualRateBp" label={t('loan.ratePercent')} rules={percentRules(2400, 'loan.rateTooHigh')} style={{ flex: '1 1 120px' }}>
            <Input inputMode="decimal" placeholder="4.35" data-testid="loan-form-rate" />
          </Form.Item>
          <Form.Item name="subsidyBp" label={t('loan.subsidyPercent')} tooltip={t('loan.subsidyHelp')} rules={percentRules(10_000, 'loan.subsidyTooHigh')} style={{ flex: '1 1 120px' }}>
            <Input inputMode="decimal" data-testid="loan-form-subsidy" />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="termMonths" label={t('loan.termMonths')} rules={[{ required: true }]} style={{ flex: '1 1 120px' }}>
            <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} data-testid="loan-form-term" />
          </Form.Item>
          <Form.Item name="startMonth" label={t('loan.startMonth')} extra={t('loan.startHelp')} rules={[{ required: true }]} style={{ flex: '1 1 160px' }}>
            <DatePicker picker="month" style={{ width: '100%' }} data-testid="loan-form-start" />
          </Form.Item>
          <Form.Item name="method" label={t('loan.method')} rules={[{ required: true }]} style={{ flex: '1 1 200px' }}>
            <Select options={METHODS.map((m) => ({ value: m, label: t(`loan.method.${m}` as MessageKey) }))} data-testid="loan-form-method" />
          </Form.Item>
        </Flex>
        <Form.Item name="purpose" label={t('loan.purpose')} rules={[{ required: true, whitespace: true, max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="loan-form-purpose" />
        </Form.Item>
        <Form.Item name="programmeCode" label={t('loan.programmeCode')} extra={t('loan.programmeHelp')} rules={[{ max: 64 }]}>
          <Input maxLength={64} data-testid="loan-form-programme" />
        </Form.Item>
      </FormModal>

      <FormModal<RepaymentValues>
        open={repaying}
        title={t('loan.repaymentTitle')}
        okText={t('common.save')}
        onClose={() => setRepaying(false)}
        form={payForm}
        name="loan-repay"
        onSubmit={repay}
        okTestId="loan-repay-ok"
        formTestId="loan-repay-form"
        resetOnCancel
        // mounted on opening, so it stacks above the schedule dialog it is opened from
        forceRender={false}
        destroyOnHidden
        initialValues={{ paidOn: dayjs(today) }}
        width={480}
      >
        <Form.Item name="paidOn" label={t('loan.paidOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(x) => x.isAfter(dayjs(today), 'day')} data-testid="loan-repay-date" />
        </Form.Item>
        <Form.Item name="amountFen" label={t('loan.amountYuan')} extra={d ? t('loan.amountHelp', { amount: fenToYuan(d.remainingFen) }) : null} rules={yuanRules(true)}>
          <Input inputMode="decimal" data-testid="loan-repay-amount" />
        </Form.Item>
        <Form.Item name="note" label={t('loan.note')} rules={[{ max: 200 }]}>
          <Input maxLength={200} data-testid="loan-repay-note" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
