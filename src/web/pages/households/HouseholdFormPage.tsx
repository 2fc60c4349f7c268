import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Collapse, Flex, Form, Input, Row, Select, Spin, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { Household, HouseholdInput, HouseholdMemberInput } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useMe } from '../../auth/AuthContext';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { RegionCascader } from '../../components/RegionCascader';
import { useT } from '../../i18n/context';
import { YUAN_PATTERN, fenToYuan, yuanToFen } from '../../lib/money';
import { HEALTH_CODES, RELATION_CODES, WORK_CODES } from './codes';
import { CAUSE_CODES, useCodeOptions } from './labels';

const HUKOU = ['urban', 'rural'] as const;
const HOUSING = ['owned', 'rented', 'public_rental', 'with_relatives', 'other'] as const;
const SOCIAL_INSURANCE = ['full', 'partial', 'none'] as const;
const RESTRUCTURING = ['capacity_reduction', 'merger', 'bankruptcy', 'institution_reform'] as const;
const MARITAL = ['single', 'married', 'divorced', 'widowed'] as const;
const SCHOOL = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'postgraduate'] as const;
const MEDICAL = ['employee', 'resident', 'none'] as const;
const MODEL_WORKER = ['national', 'provincial', 'city', 'industry'] as const;

interface MemberValues {
  /** an existing member (editing) */
  id?: string;
  name?: string;
  relation?: HouseholdMemberInput['relation'];
  idNumber?: string;
  phone?: string;
  /** the masked phone as loaded: unchanged means "keep" */
  phoneLoaded?: string;
  health?: HouseholdMemberInput['health'];
  workStatus?: HouseholdMemberInput['workStatus'];
  incomeYuan?: string;
  maritalStatus?: string;
  schoolStage?: string;
  medicalInsurance?: string;
  modelWorker?: string;
}

interface FormValues {
  regionCode?: string;
  orgId?: string;
  address?: string;
  hukouType?: string;
  housingType?: string;
  housingArea?: string;
  employerCreditCode?: string;
  employerName?: string;
  inDibao?: boolean;
  migrantWorker?: boolean;
  restructuring?: string;
  socialInsurance?: string;
  yearlyIncomeYuan?: string;
  yearlyRigidSpendingYuan?: string;
  yearlyHardshipSpendingYuan?: string;
  primaryCause?: string;
  secondaryCauses?: string[];
  bankName?: string;
  bankAccount?: string;
  bankAccountLoaded?: string;
  members?: MemberValues[];
}

const COUNTY_CODE = /^\d{6}$/;
const YUAN_FIELDS: Record<string, string> = {
  monthlyIncomeFen: 'incomeYuan',
  yearlyIncomeFen: 'yearlyIncomeYuan',
  yearlyRigidSpendingFen: 'yearlyRigidSpendingYuan',
  yearlyHardshipSpendingFen: 'yearlyHardshipSpendingYuan',
};

/** The server names money fields in fen; the form asks for yuan. */
function renameMoneyErrors(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.fieldErrors.length === 0) return err;
  const details = err.fieldErrors.map((f) => ({ ...f, field: f.field.replace(/(monthlyIncomeFen|yearly\w+Fen)$/, (m) => YUAN_FIELDS[m] ?? m) }));
  return new ApiError(err.status, { code: err.code, message: err.message, details });
}

const orNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
const fen = (yuan: string | undefined) => (yuan && yuan.trim() ? (yuanToFen(yuan) ?? '') : '0');

type Body = Omit<HouseholdInput, 'regionCode' | 'orgId'>;

function toBody(v: FormValues): Body {
  const body: Body = {
    address: (v.address ?? '').trim(),
    hukouType: (v.hukouType ?? null) as Body['hukouType'],
    housingType: (v.housingType ?? null) as Body['housingType'],
    housingArea: orNull(v.housingArea),
    employerCreditCode: orNull(v.employerCreditCode),
    employerName: orNull(v.employerName),
    inDibao: v.inDibao === true,
    migrantWorker: v.migrantWorker === true,
    restructuring: (v.restructuring ?? null) as Body['restructuring'],
    socialInsurance: (v.socialInsurance ?? null) as Body['socialInsurance'],
    yearlyIncomeFen: fen(v.yearlyIncomeYuan),
    yearlyRigidSpendingFen: fen(v.yearlyRigidSpendingYuan),
    yearlyHardshipSpendingFen: fen(v.yearlyHardshipSpendingYuan),
    primaryCause: (v.primaryCause ?? null) as Body['primaryCause'],
    secondaryCauses: (v.secondaryCauses ?? []) as Body['secondaryCauses'],
    bankName: orNull(v.bankName),
    members: (v.members ?? []).map((m) => {
      const member: HouseholdMemberInput = {
        name: (m.name ?? '').trim(),
        relation: m.relation ?? 'other',
        health: m.health ?? 'healthy',
        workStatus: m.workStatus ?? 'unemployed',
        monthlyIncomeFen: yuanToFen(m.incomeYuan ?? '') ?? '',
        maritalStatus: (m.maritalStatus ?? null) as HouseholdMemberInput['maritalStatus'],
        schoolStage: (m.schoolStage ?? null) as HouseholdMemberInput['schoolStage'],
        medicalInsurance: (m.medicalInsurance ?? null) as HouseholdMemberInput['medicalInsurance'],
        modelWorker: (m.modelWorker ?? null) as HouseholdMemberInput['modelWorker'],
      };
      if (m.id) member.id = m.id;
      else member.idNumber = (m.idNumber ?? '').trim();
      // A loaded (masked) phone left as it was is not sent: the server keeps the stored number.
      if (!m.id || m.phone !== m.phoneLoaded) member.phone = orNull(m.phone);
      return member;
    }),
  };
  if (v.bankAccount !== v.bankAccountLoaded || !v.bankAccountLoaded) body.bankAccount = orNull(v.bankAccount);
  return body;
}

function toValues(h: Household): FormValues {
  const yuan = (f: string) => (f === '0' ? undefined : fenToYuan(f).replace(/,/g, ''));
  return {
    regionCode: h.regionCode,
    orgId: h.orgId,
    address: h.address,
    hukouType: h.hukouType ?? undefined,
    housingType: h.housingType ?? undefined,
    housingArea: h.housingArea ?? undefined,
    employerCreditCode: h.employerCreditCode ?? undefined,
    employerName: h.employerName ?? undefined,
    inDibao: h.inDibao,
    migrantWorker: h.migrantWorker,
    restructuring: h.restructuring ?? undefined,
    socialInsurance: h.socialInsurance ?? undefined,
    yearlyIncomeYuan: yuan(h.yearlyIncomeFen),
    yearlyRigidSpendingYuan: yuan(h.yearlyRigidSpendingFen),
    yearlyHardshipSpendingYuan: yuan(h.yearlyHardshipSpendingFen),
    primaryCause: h.primaryCause ?? undefined,
    secondaryCauses: h.secondaryCauses,
    bankName: h.bankName ?? undefined,
    bankAccount: h.bankAccount ?? undefined,
    bankAccountLoaded: h.bankAccount ?? undefined,
    members: h.members.map((m) => ({
      id: m.id,
      name: m.name,
      relation: m.relation as MemberValues['relation'],
      idNumber: m.idNumber,
      phone: m.phone ?? undefined,
      phoneLoaded: m.phone ?? undefined,
      health: m.health as MemberValues['health'],
      workStatus: m.workStatus as MemberValues['workStatus'],
      incomeYuan: fenToYuan(m.monthlyIncomeFen).replace(/,/g, ''),
      maritalStatus: m.maritalStatus ?? undefined,
      schoolStage: m.schoolStage ?? undefined,
      medicalInsurance: m.medicalInsurance ?? undefined,
      modelWorker: m.modelWorker ?? undefined,
    })),
  };
}

/** 建档 (a new household file with its members) and 修改档案 (the same form on a stored file, at its version). */
export default function HouseholdFormPage() {
  const t = useT();
  const me = useMe();
  const { id } = useParams();
  const editing = id !== undefined;
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showFormError, showError } = useApiError();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Household | null>(null);

  const opts = {
    relation: useCodeOptions('relation', RELATION_CODES),
    health: useCodeOptions('health', HEALTH_CODES),
    work: useCodeOptions('work', WORK_CODES),
    marital: useCodeOptions('marital', MARITAL),
    school: useCodeOptions('school', SCHOOL),
    medical: useCodeOptions('medical', MEDICAL),
    modelWorker: useCodeOptions('modelWorker', MODEL_WORKER),
    hukou: useCodeOptions('hukou', HUKOU),
    housing: useCodeOptions('housing', HOUSING),
    socialInsurance: useCodeOptions('socialInsurance', SOCIAL_INSURANCE),
    restructuring: useCodeOptions('restructuring', RESTRUCTURING),
    cause: useCodeOptions('cause', CAUSE_CODES),
  };

  useEffect(() => {
    if (!id) return;
    let live = true;
    unwrap(api.GET('/api/households/{id}', { params: { path: { id } } }))
      .then((h) => {
        if (!live) return;
        setLoaded(h);
        form.setFieldsValue(toValues(h));
      })
      .catch(showError);
    return () => {
      live = false;
    };
  }, [id, form, showError]);

  const ownCounty = COUNTY_CODE.test(me.scope.regionCode) ? me.scope.regionCode : undefined;
  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const selectRequired = (field: string) => ({ required: true, message: t('common.selectRequired', { field }) });
  const yuanRule = { pattern: YUAN_PATTERN, message: t('hh.incomeFormat') };
  const back = () => void navigate(editing ? `/households/${id}` : '/households');

  const submit = async (values: FormValues) => {
    setSaving(true);
    setConflict(null);
    try {
      const body = toBody(values);
      const household = editing
        ? await unwrap(api.PUT('/api/households/{id}', { params: { path: { id } }, body: { ...body, version: loaded!.version } }))
        : await unwrap(api.POST('/api/households', { body: { ...body, regionCode: values.regionCode ?? '', orgId: values.orgId ?? '' } }));
      void message.success(t(editing ? 'common.saved' : 'hh.created'));
      void navigate(`/households/${household.id}`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT' && err.message) setConflict(err.message);
      showFormError(renameMoneyErrors(err), form);
      const first = form.getFieldsError().find((f) => f.errors.length > 0);
      if (first) form.scrollToField(first.name, { block: 'center' });
    } finally {
      setSaving(false);
    }
  };

  if (editing && !loaded) return <Spin style={{ display: 'block', margin: '64px auto' }} />;

  const select = (options: { value: string | number; label: string }[], testId: string, extra: object = {}) => (
    <Select allowClear options={options} placeholder={t('common.optional')} popupMatchSelectWidth={false} data-testid={testId} {...extra} />
  );

  return (
    <>
      <PageHeader
        title={editing ? t('hh.editTitle', { fileNo: loaded!.fileNo }) : t('hh.newTitle')}
        extra={<Button onClick={back}>{t('common.cancel')}</Button>}
      />
      {conflict ? (
        <Alert type="error" showIcon title={t('hh.conflictTitle')} description={conflict} closable onClose={() => setConflict(null)} style={{ marginBottom: 16 }} data-testid="household-conflict" />
      ) : null}
      <Form<FormValues>
        form={form}
        name="household"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        scrollToFirstError={{ block: 'center' }}
        initialValues={{ regionCode: ownCounty, orgId: me.org.id, members: [{ relation: 'head' }] }}
        data-testid="household-form"
      >
        <Card title={t('hh.basics')} style={{ marginBottom: 16 }} size="small">
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              {editing ? (
                <Form.Item label={t('hh.region')}>
                  <Input disabled value={loaded!.regionName} />
                </Form.Item>
              ) : (
                <Form.Item name="regionCode" label={t('hh.region')} rules={[selectRequired(t('hh.region'))]}>
                  <RegionCascader maxLevel="county" disabled={ownCounty !== undefined} data-testid="household-form-region" />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} md={12} xl={6}>
              {editing ? (
                <Form.Item label={t('hh.org')}>
                  <Input disabled value={loaded!.orgName} />
                </Form.Item>
              ) : (
                <Form.Item name="orgId" label={t('hh.org')} rules={[selectRequired(t('hh.org'))]}>
                  <OrgTreeSelect onlyActive data-testid="household-form-org" />
                </Form.Item>
              )}
            </Col>
            <Col xs={24} xl={12}>
              <Form.Item name="address" label={t('hh.address')} rules={[required(t('hh.address'))]}>
                <Input maxLength={200} placeholder={t('hh.addressPlaceholder')} data-testid="household-form-address" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="hukouType" label={t('hh.hukouType')}>{select(opts.hukou, 'household-form-hukou')}</Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="housingType" label={t('hh.housingType')}>{select(opts.housing, 'household-form-housing')}</Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="housingArea" label={t('hh.housingArea')} rules={[{ pattern: /^\d{1,6}(\.\d)?$/, message: t('hh.areaFormat') }]}>
                <Input inputMode="decimal" suffix="㎡" placeholder={t('common.optional')} data-testid="household-form-area" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('hh.situation')} style={{ marginBottom: 16 }} size="small">
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="employerName" label={t('hh.employerName')}>
                <Input maxLength={100} placeholder={t('common.optional')} data-testid="household-form-employer" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="employerCreditCode" label={t('hh.employerCreditCode')} rules={[{ pattern: /^\s*[0-9A-Za-z]{18}\s*$/, message: t('hh.creditCodeFormat') }]}>
                <Input maxLength={18} placeholder={t('common.optional')} data-testid="household-form-credit-code" />
              </Form.Item>
            </Col>
            <Col xs={12} xl={6}>
              <Form.Item name="restructuring" label={t('hh.restructuring')}>{select(opts.restructuring, 'household-form-restructuring')}</Form.Item>
            </Col>
            <Col xs={12} xl={6}>
              <Form.Item name="socialInsurance" label={t('hh.socialInsurance')}>{select(opts.socialInsurance, 'household-form-social-insurance')}</Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="yearlyIncomeYuan" label={t('hh.yearlyIncome')} tooltip={t('hh.yearlyIncomeHint')} rules={[yuanRule]}>
                <Input inputMode="decimal" suffix={t('hh.yuan')} data-testid="household-form-yearly-income" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="yearlyRigidSpendingYuan" label={t('hh.rigidSpending')} tooltip={t('hh.rigidSpendingHint')} rules={[yuanRule]}>
                <Input inputMode="decimal" suffix={t('hh.yuan')} data-testid="household-form-rigid" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="yearlyHardshipSpendingYuan" label={t('hh.hardshipSpending')} tooltip={t('hh.hardshipSpendingHint')} rules={[yuanRule]}>
                <Input inputMode="decimal" suffix={t('hh.yuan')} data-testid="household-form-hardship-spending" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item label=" " colon={false}>
                <Flex gap={16} wrap>
                  <Form.Item name="inDibao" valuePropName="checked" noStyle>
                    <Checkbox data-testid="household-form-dibao">{t('hh.inDibao')}</Checkbox>
                  </Form.Item>
                  <Form.Item name="migrantWorker" valuePropName="checked" noStyle>
                    <Checkbox data-testid="household-form-migrant">{t('hh.migrantWorker')}</Checkbox>
                  </Form.Item>
                </Flex>
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="primaryCause" label={t('hh.primaryCause')}>{select(opts.cause, 'household-form-primary-cause')}</Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item
                name="secondaryCauses"
                label={t('hh.secondaryCauses')}
                rules={[{ validator: async (_, v?: string[]) => { if (v && v.length > 3) throw new Error(t('hh.secondaryMax')); } }]}
              >
                {select(opts.cause, 'household-form-secondary-causes', { mode: 'multiple', maxCount: 3 })}
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('hh.classificationHint')}</Typography.Text>
        </Card>

        <Card
          title={t('hh.members')}
          size="small"
          extra={<Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('hh.membersHint')}</Typography.Text>}
          style={{ marginBottom: 16 }}
        >
          <Form.List
            name="members"
            rules={[
              {
                validator: async (_, members?: MemberValues[]) => {
                  if (!members || members.length === 0) throw new Error(t('hh.needMember'));
                  if (!members.some((m) => m?.relation === 'head')) throw new Error(t('hh.needHead'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field, i) => {
                  const existing = Boolean(form.getFieldValue(['members', field.name, 'id']));
                  return (
                    <div key={field.key} data-testid={`member-${i}`} style={{ borderTop: i > 0 ? '1px solid #f0f0f0' : undefined, paddingTop: i > 0 ? 12 : 0, marginBottom: 4 }}>
                      <Flex justify="space-between" align="center" style={{ marginBottom: 4 }}>
                        <Typography.Text strong>{t('hh.memberNo', { n: i + 1 })}</Typography.Text>
                        {fields.length > 1 ? (
                          <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} data-testid={`member-remove-${i}`}>
                            {t('hh.memberRemove')}
                          </Button>
                        ) : null}
                      </Flex>
                      <Row gutter={12}>
                        <Col xs={24} sm={12} lg={6} xl={3}>
                          <Form.Item name={[field.name, 'name']} label={t('hh.name')} rules={[required(t('hh.name'))]}>
                            <Input maxLength={50} data-testid={`member-name-${i}`} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={12} lg={6} xl={3}>
                          <Form.Item name={[field.name, 'relation']} label={t('hh.relation')} rules={[selectRequired(t('hh.relation'))]}>
                            <Select options={opts.relation} data-testid={`member-relation-${i}`} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={12} lg={12} xl={5}>
                          <Form.Item
                            name={[field.name, 'idNumber']}
                            label={t('hh.idNumber')}
                            tooltip={existing ? t('hh.idFixed') : undefined}
                            rules={existing ? [] : [required(t('hh.idNumber')), { pattern: /^\s*(\d{17}[\dxX]|\d{15})\s*$/, message: t('hh.idFormat') }]}
                          >
                            <Input maxLength={24} autoComplete="off" disabled={existing} data-testid={`member-id-${i}`} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={12} lg={6} xl={4}>
                          <Form.Item name={[field.name, 'phone']} label={t('hh.phone')}>
                            <Input maxLength={20} autoComplete="off" placeholder={t('common.optional')} data-testid={`member-phone-${i}`} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} sm={12} lg={6} xl={3}>
                          <Form.Item name={[field.name, 'health']} label={t('hh.health')} rules={[selectRequired(t('hh.health'))]}>
                            <Select options={opts.health} popupMatchSelectWidth={false} data-testid={`member-health-${i}`} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} sm={12} lg={6} xl={3}>
                          <Form.Item name={[field.name, 'workStatus']} label={t('hh.workStatus')} rules={[selectRequired(t('hh.workStatus'))]}>
                            <Select options={opts.work} popupMatchSelectWidth={false} data-testid={`member-work-${i}`} />
                          </Form.Item>
                        </Col>
                        <Col xs={12} sm={12} lg={6} xl={3}>
                          <Form.Item name={[field.name, 'incomeYuan']} label={t('hh.incomeYuan')} rules={[required(t('hh.incomeYuan')), yuanRule]}>
                            <Input inputMode="decimal" autoComplete="off" data-testid={`member-income-${i}`} />
                          </Form.Item>
                        </Col>
                      </Row>
                      <Collapse
                        ghost
                        size="small"
                        items={[
                          {
                            key: 'more',
                            label: <Typography.Text type="secondary">{t('hh.memberMore')}</Typography.Text>,
                            forceRender: true,
                            children: (
                              <Row gutter={12}>
                                <Col xs={12} md={6}>
                                  <Form.Item name={[field.name, 'maritalStatus']} label={t('hh.maritalStatus')}>{select(opts.marital, `member-marital-${i}`)}</Form.Item>
                                </Col>
                                <Col xs={12} md={6}>
                                  <Form.Item name={[field.name, 'schoolStage']} label={t('hh.schoolStage')}>{select(opts.school, `member-school-${i}`)}</Form.Item>
                                </Col>
                                <Col xs={12} md={6}>
                                  <Form.Item name={[field.name, 'medicalInsurance']} label={t('hh.medicalInsurance')}>{select(opts.medical, `member-medical-${i}`)}</Form.Item>
                                </Col>
                                <Col xs={12} md={6}>
                                  <Form.Item name={[field.name, 'modelWorker']} label={t('hh.modelWorker')}>{select(opts.modelWorker, `member-model-worker-${i}`)}</Form.Item>
                                </Col>
                              </Row>
                            ),
                          },
                        ]}
                      />
                    </div>
                  );
                })}
                <Form.ErrorList errors={errors} />
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} data-testid="member-add" style={{ marginTop: 8 }}>
                  {t('hh.memberAdd')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Card title={t('hh.bank')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="bankName" label={t('hh.bankName')}>
                <Input maxLength={50} placeholder={t('common.optional')} data-testid="household-form-bank-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="bankAccount" label={t('hh.bankAccount')} tooltip={editing ? t('hh.bankAccountKeep') : undefined}>
                <Input maxLength={30} autoComplete="off" placeholder={t('common.optional')} data-testid="household-form-bank-account" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Flex justify="end" gap={8}>
          <Button onClick={back}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="household-submit">
            {editing ? t('common.save') : t('hh.submit')}
          </Button>
        </Flex>
      </Form>
    </>
  );
}
