import { useState } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import type { HouseholdInput, HouseholdMemberInput } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { useMe } from '../../auth/AuthContext';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { PageHeader } from '../../components/PageHeader';
import { RegionCascader } from '../../components/RegionCascader';
import { useT } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import { YUAN_PATTERN, yuanToFen } from '../../lib/money';
import { HEALTH_CODES, RELATION_CODES, WORK_CODES } from './codes';

interface MemberValues {
  name?: string;
  relation?: HouseholdMemberInput['relation'];
  idNumber?: string;
  phone?: string;
  health?: HouseholdMemberInput['health'];
  workStatus?: HouseholdMemberInput['workStatus'];
  /** Typed in yuan; sent as fen. */
  incomeYuan?: string;
}

interface FormValues {
  regionCode?: string;
  orgId?: string;
  address?: string;
  members?: MemberValues[];
}

const COUNTY_CODE = /^\d{6}$/;

/** The server names the income field in fen; the form asks for yuan. */
function renameIncomeErrors(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.fieldErrors.length === 0) return err;
  const details = err.fieldErrors.map((f) => ({ ...f, field: f.field.replace(/monthlyIncomeFen$/, 'incomeYuan') }));
  return new ApiError(err.status, { code: err.code, message: err.message, details });
}

function toBody(v: FormValues): HouseholdInput {
  return {
    regionCode: v.regionCode ?? '',
    orgId: v.orgId ?? '',
    address: (v.address ?? '').trim(),
    members: (v.members ?? []).map((m) => ({
      name: (m.name ?? '').trim(),
      relation: m.relation ?? 'other',
      idNumber: (m.idNumber ?? '').trim(),
      phone: m.phone?.trim() ? m.phone.trim() : null,
      health: m.health ?? 'healthy',
      workStatus: m.workStatus ?? 'unemployed',
      monthlyIncomeFen: yuanToFen(m.incomeYuan ?? '') ?? '',
    })),
  };
}

/** 建档: a new household file with its members. */
export default function HouseholdNewPage() {
  const t = useT();
  const labels = useLabels();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { showFormError } = useApiError();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);

  const ownCounty = COUNTY_CODE.test(me.scope.regionCode) ? me.scope.regionCode : undefined;
  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const selectRequired = (field: string) => ({ required: true, message: t('common.selectRequired', { field }) });

  const submit = async (values: FormValues) => {
    setSaving(true);
    setConflict(null);
    try {
      const household = await unwrap(api.POST('/api/households', { body: toBody(values) }));
      void message.success(t('hh.created'));
      void navigate(`/households/${household.id}`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT' && err.message) setConflict(err.message);
      showFormError(renameIncomeErrors(err), form);
      const first = form.getFieldsError().find((f) => f.errors.length > 0);
      if (first) form.scrollToField(first.name, { block: 'center' });
    } finally {
      setSaving(false);
    }
  };

  const options = (codes: readonly string[], label: (c: string) => string) => codes.map((c) => ({ value: c, label: label(c) }));

  return (
    <>
      <PageHeader title={t('hh.newTitle')} extra={<Button onClick={() => void navigate('/households')}>{t('common.cancel')}</Button>} />
      {conflict ? (
        <Alert
          type="error"
          showIcon
          message={t('hh.conflictTitle')}
          description={conflict}
          closable
          onClose={() => setConflict(null)}
          style={{ marginBottom: 16 }}
          data-testid="household-conflict"
        />
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
        <Card title={t('hh.basics')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="regionCode" label={t('hh.region')} rules={[selectRequired(t('hh.region'))]}>
                <RegionCascader maxLevel="county" disabled={ownCounty !== undefined} data-testid="household-form-region" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="orgId" label={t('hh.org')} rules={[selectRequired(t('hh.org'))]}>
                <OrgTreeSelect onlyActive data-testid="household-form-org" />
              </Form.Item>
            </Col>
            <Col xs={24} xl={8}>
              <Form.Item name="address" label={t('hh.address')} rules={[required(t('hh.address'))]}>
                <Input maxLength={200} placeholder={t('hh.addressPlaceholder')} data-testid="household-form-address" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card
          title={t('hh.members')}
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
                {fields.map((field, i) => (
                  <div
                    key={field.key}
                    data-testid={`member-${i}`}
                    style={{ borderTop: i > 0 ? '1px solid #f0f0f0' : undefined, paddingTop: i > 0 ? 16 : 0, marginBottom: 8 }}
                  >
                    <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
                      <Typography.Text strong>{t('hh.memberNo', { n: i + 1 })}</Typography.Text>
                      {fields.length > 1 ? (
                        <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} data-testid={`member-remove-${i}`}>
                          {t('hh.memberRemove')}
                        </Button>
                      ) : null}
                    </Flex>
                    <Row gutter={16}>
                      <Col xs={24} sm={12} lg={6} xl={3}>
                        <Form.Item name={[field.name, 'name']} label={t('hh.name')} rules={[required(t('hh.name'))]}>
                          <Input maxLength={50} data-testid={`member-name-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={6} xl={3}>
                        <Form.Item name={[field.name, 'relation']} label={t('hh.relation')} rules={[selectRequired(t('hh.relation'))]}>
                          <Select options={options(RELATION_CODES, labels.relation)} data-testid={`member-relation-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={12} xl={5}>
                        <Form.Item
                          name={[field.name, 'idNumber']}
                          label={t('hh.idNumber')}
                          rules={[required(t('hh.idNumber')), { pattern: /^\s*(\d{17}[\dxX]|\d{15})\s*$/, message: t('hh.idFormat') }]}
                        >
                          <Input maxLength={24} autoComplete="off" data-testid={`member-id-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={6} xl={4}>
                        <Form.Item name={[field.name, 'phone']} label={t('hh.phone')}>
                          <Input maxLength={20} autoComplete="off" placeholder={t('common.optional')} data-testid={`member-phone-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={6} xl={3}>
                        <Form.Item name={[field.name, 'health']} label={t('hh.health')} rules={[selectRequired(t('hh.health'))]}>
                          <Select options={options(HEALTH_CODES, labels.health)} popupMatchSelectWidth={false} data-testid={`member-health-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={6} xl={3}>
                        <Form.Item name={[field.name, 'workStatus']} label={t('hh.workStatus')} rules={[selectRequired(t('hh.workStatus'))]}>
                          <Select options={options(WORK_CODES, labels.workStatus)} popupMatchSelectWidth={false} data-testid={`member-work-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={6} xl={3}>
                        <Form.Item
                          name={[field.name, 'incomeYuan']}
                          label={t('hh.incomeYuan')}
                          rules={[required(t('hh.incomeYuan')), { pattern: YUAN_PATTERN, message: t('hh.incomeFormat') }]}
                        >
                          <Input inputMode="decimal" autoComplete="off" data-testid={`member-income-${i}`} />
                        </Form.Item>
                      </Col>
                    </Row>
                  </div>
                ))}
                <Form.ErrorList errors={errors} />
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({})} data-testid="member-add" style={{ marginTop: 8 }}>
                  {t('hh.memberAdd')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Flex justify="end" gap={8}>
          <Button onClick={() => void navigate('/households')}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="household-submit">
            {t('hh.submit')}
          </Button>
        </Flex>
      </Form>
    </>
  );
}
