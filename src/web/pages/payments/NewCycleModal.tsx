import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Flex, Form, Input, Modal, Progress, Select, Typography } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useI18n } from '../../i18n/context';
import { useJob } from '../../lib/jobs';
import { OrgSearchSelect } from './OrgSearchSelect';
import { asFrequency, currentPeriod, type Cycle, type Programme } from './shared';

interface Values {
  orgId: string;
  programmeId: string;
  period: string;
}

/**
 * 新建发放批次: organisation × programme × period, then the generation job's progress; when the
 * lines are in, the cycle opens. Field errors (a cycle that exists, a malformed period) land on the fields.
 */
export function NewCycleModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (c: Cycle) => void }) {
  const { t, lang } = useI18n();
  const { showError, showFormError } = useApiError();
  const [form] = Form.useForm<Values>();
  const [programmes, setProgrammes] = useState<Programme[]>([]);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<Cycle | null>(null);
  const [periodTouched, setPeriodTouched] = useState(false);
  const { job, follow, reset } = useJob();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setCreated(null);
    setPeriodTouched(false);
    reset();
    unwrap(api.GET('/api/programmes'))
      .then((r) => setProgrammes(r.items.filter((p) => p.active)))
      .catch(showError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const programmeId = Form.useWatch('programmeId', form);
  const programme = useMemo(() => programmes.find((p) => p.id === programmeId), [programmes, programmeId]);
  const frequency = programme ? asFrequency(programme.frequency) : null;

  useEffect(() => {
    if (frequency && !periodTouched) form.setFieldValue('period', currentPeriod(frequency));
  }, [frequency, periodTouched, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    let made: Cycle | null = null;
    try {
      const c = await unwrap(api.POST('/api/payments/cycles', { body: { orgId: v.orgId, programmeId: v.programmeId, period: v.period.trim() } }));
      made = c;
      setCreated(c);
      if (!c.jobId) {
        onCreated(c);
        return;
      }
      const ended = await follow(() => unwrap(api.GET('/api/jobs/{id}', { params: { path: { id: c.jobId! } } })));
      if (ended.status === 'succeeded') onCreated(await unwrap(api.GET('/api/payments/cycles/{id}', { params: { path: { id: c.id } } })));
    } catch (err) {
      if (made) showError(err);
      else showFormError(err, form);
    } finally {
      setSaving(false);
    }
  };

  const generating = created !== null;
  const failed = job?.status === 'failed' || job?.status === 'cancelled';

  return (
    <Modal
      open={open}
      title={t('pay.new.title')}
      width={560}
      onCancel={onClose}
      maskClosable={!generating}
      footer={
        generating ? (
          <Flex justify="end" gap={8}>
            <Button onClick={onClose}>{t('pay.new.background')}</Button>
            {failed || job?.status === 'succeeded' ? (
              <Button type="primary" onClick={() => onCreated(created)} data-testid="pay-new-open">
                {t('pay.new.open')}
              </Button>
            ) : null}
          </Flex>
        ) : (
          <Flex justify="end" gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="pay-new-ok">
              {t('pay.new.ok')}
            </Button>
          </Flex>
        )
      }
      destroyOnHidden
    >
      {generating ? (
        <Flex vertical gap={12} style={{ padding: '8px 0 4px' }} data-testid="pay-new-progress">
          <Typography.Text>
            {t('pay.new.generating', { org: created.orgName, programme: lang === 'zh-CN' ? created.programmeNameZh : created.programmeNameEn, period: created.period })}
          </Typography.Text>
          <Progress
            percent={job?.status === 'succeeded' ? 100 : (job?.percent ?? 0)}
            status={failed ? 'exception' : job?.status === 'succeeded' ? 'success' : 'active'}
            format={(p) => (job && job.progressTotal !== null && job.status !== 'succeeded' ? `${job.progressDone.toLocaleString()} / ${job.progressTotal.toLocaleString()}` : `${p ?? 0}%`)}
          />
          {failed ? <Alert type="error" showIcon message={t('pay.job.failed')} description={job?.error ?? undefined} /> : null}
          {!failed ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('pay.new.backgroundHint')}
            </Typography.Text>
          ) : null}
        </Flex>
      ) : (
        <Form<Values> form={form} name="pay-new" layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="pay-new-form">
          <Form.Item name="orgId" label={t('pay.new.org')} rules={[{ required: true, message: t('pay.new.orgRequired') }]} extra={t('pay.new.orgHint')}>
            <OrgSearchSelect placeholder={t('pay.new.orgPlaceholder')} data-testid="pay-new-org" />
          </Form.Item>
          <Form.Item name="programmeId" label={t('pay.new.programme')} rules={[{ required: true, message: t('pay.new.programmeRequired') }]}>
            <Select
              placeholder={t('pay.new.programmePlaceholder')}
              showSearch
              optionFilterProp="label"
              options={programmes.map((p) => ({ value: p.id, label: lang === 'zh-CN' ? p.nameZh : p.nameEn }))}
              data-testid="pay-new-programme"
            />
          </Form.Item>
          <Form.Item
            name="period"
            label={t('pay.new.period')}
            rules={[{ required: true, message: t('pay.new.periodRequired') }]}
            extra={frequency ? t(`pay.period.hint.${frequency}`) : t('pay.new.periodChooseFirst')}
          >
            <Input maxLength={20} style={{ width: 200 }} onChange={() => setPeriodTouched(true)} data-testid="pay-new-period" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
