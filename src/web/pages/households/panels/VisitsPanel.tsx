import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Flex, Form, Input, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { FormModal } from '../../../components/FormModal';
import { useT } from '../../../i18n/context';
import { useAsync } from '../../../lib/useAsync';
import { chinaToday } from './chinaToday';

interface Values {
  visitedOn: Dayjs;
  visitor: string;
  findings: string;
  followUp?: string;
}

/**
 * 走访记录: the household's visits, newest first, with the six-month flag (a household on file
 * not visited for six calendar months is overdue); record a visit in a dialog.
 */
export function VisitsPanel({ householdId, status, onChanged }: { householdId: string; status: string; onChanged?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { can, user } = useAuth();
  const { describe } = useApiError();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();

  const load = useCallback(() => unwrap(api.GET('/api/households/{id}/visits', { params: { path: { id: householdId } } })), [householdId, status]);
  const { data, error, loading, reload } = useAsync(load, [load]);
  const canWrite = can('household.write') && (data?.editable ?? false);
  const today = chinaToday();

  const submit = async (values: Values) => {
    await unwrap(
      api.POST('/api/households/{id}/visits', {
        params: { path: { id: householdId } },
        body: { visitedOn: values.visitedOn.format('YYYY-MM-DD'), visitor: values.visitor.trim(), findings: values.findings.trim(), followUp: values.followUp?.trim() || null },
      }),
    );
    void message.success(t('visit.saved'));
    setOpen(false);
    form.resetFields();
    reload();
    onChanged?.();
  };

  const start = () => {
    form.setFieldsValue({ visitedOn: dayjs(today), visitor: (user?.displayName ?? '').replace(/（.*）$/, '') });
    setOpen(true);
  };

  return (
    <Card
      title={t('visit.title')}
      loading={loading && !data}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={start} data-testid="visit-add">
            {t('visit.add')}
          </Button>
        ) : null
      }
      data-testid="visits-panel"
    >
      {error && !data ? <Alert type="error" showIcon message={describe(error)} /> : null}
      {data ? (
        <>
          {data.overdue ? (
            <Alert
              type="error"
              showIcon
              message={t('visit.overdue')}
              description={data.dueBy ? t('visit.overdueDetail', { date: data.dueBy }) : undefined}
              style={{ marginBottom: 16 }}
              data-testid="visit-overdue"
            />
          ) : null}
          <Flex gap={16} wrap align="center" style={{ marginBottom: 16 }}>
            <Typography.Text>
              {t('visit.last')}：{data.lastVisitOn ?? <Typography.Text type="secondary">{t('visit.never')}</Typography.Text>}
            </Typography.Text>
            {data.onFile && data.dueBy && !data.overdue ? <Tag color="blue">{t('visit.dueBy', { date: data.dueBy })}</Tag> : null}
            {!data.onFile ? (
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {t('visit.notOnFile')}
              </Typography.Text>
            ) : null}
          </Flex>
          {data.items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('visit.empty')} />
          ) : (
            <Timeline
              data-testid="visit-timeline"
              items={data.items.map((v) => ({
                key: v.id,
                children: (
                  <div>
                    <Flex gap={8} align="baseline" wrap>
                      <Typography.Text strong>{v.visitedOn}</Typography.Text>
                      <Typography.Text type="secondary">
                        {t('visit.visitor')}：{v.visitor}
                      </Typography.Text>
                    </Flex>
                    <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{v.findings}</Typography.Paragraph>
                    {v.followUp ? (
                      <Typography.Paragraph type="secondary" style={{ margin: '2px 0 0', whiteSpace: 'pre-wrap' }}>
                        {t('visit.followUp')}：{v.followUp}
                      </Typography.Paragraph>
                    ) : null}
                  </div>
                ),
              }))}
            />
          )}
          {!data.editable && can('household.write') ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('visit.notEditable')}
            </Typography.Text>
          ) : null}
        </>
      ) : null}

      <FormModal<Values>
        open={open}
        title={t('visit.addTitle')}
        okText={t('common.save')}
        onClose={() => setOpen(false)}
        form={form}
        name="visit"
        onSubmit={submit}
        okTestId="visit-ok"
        formTestId="visit-form"
        resetOnCancel
        width={560}
      >
        <Flex gap={16} wrap>
          <Form.Item name="visitedOn" label={t('visit.visitedOn')} rules={[{ required: true }]} style={{ flex: '1 1 180px' }}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(dayjs(today), 'day') || d.isBefore(dayjs('2000-01-01'), 'day')}
              data-testid="visit-form-date"
            />
          </Form.Item>
          <Form.Item name="visitor" label={t('visit.visitor')} rules={[{ required: true, whitespace: true, max: 50 }]} style={{ flex: '1 1 180px' }}>
            <Input maxLength={50} data-testid="visit-form-visitor" />
          </Form.Item>
        </Flex>
        <Form.Item name="findings" label={t('visit.findings')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('visit.findingsPlaceholder')} data-testid="visit-form-findings" />
        </Form.Item>
        <Form.Item name="followUp" label={t('visit.followUp')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} maxLength={1000} placeholder={t('visit.followUpPlaceholder')} data-testid="visit-form-follow-up" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
