import { useCallback, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Typography } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { FormModal } from '../../../components/FormModal';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { useT } from '../../../i18n/context';
import { useAsync } from '../../../lib/useAsync';
import { chinaToday } from './chinaToday';

const ON_FILE = new Set(['verified', 'reverifying']);

interface Values {
  helperOrgId: string;
  helperPerson: string;
  pairedOn?: Dayjs | null;
}

/** 一帮一结对: the household's helper unit and responsible person; set or replace them in a dialog. */
export function PairingPanel({ householdId, status, onChanged }: { householdId: string; status: string; onChanged?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { describe } = useApiError();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();

  const load = useCallback(() => unwrap(api.GET('/api/households/{id}/pairing', { params: { path: { id: householdId } } })), [householdId, status]);
  const { data, error, loading, reload } = useAsync(load, [load]);
  const canWrite = can('household.write') && (data?.editable ?? false);

  const submit = async (values: Values) => {
    await unwrap(
      api.PUT('/api/households/{id}/pairing', {
        params: { path: { id: householdId } },
        body: { helperOrgId: values.helperOrgId, helperPerson: values.helperPerson.trim(), pairedOn: values.pairedOn ? values.pairedOn.format('YYYY-MM-DD') : null },
      }),
    );
    void message.success(t('pair.saved'));
    setOpen(false);
    reload();
    onChanged?.();
  };

  const start = () => {
    form.setFieldsValue({ helperOrgId: data?.helperOrgId ?? undefined, helperPerson: data?.helperPerson ?? '', pairedOn: null });
    setOpen(true);
  };

  const today = chinaToday();

  return (
    <Card
      title={t('pair.title')}
      loading={loading && !data}
      extra={
        canWrite ? (
          <Button type={data?.paired ? 'default' : 'primary'} icon={<TeamOutlined />} onClick={start} data-testid="pair-set">
            {data?.paired ? t('pair.replace') : t('pair.set')}
          </Button>
        ) : null
      }
      data-testid="pairing-panel"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('pair.intro')}
      </Typography.Paragraph>
      {error && !data ? <Alert type="error" showIcon message={describe(error)} /> : null}
      {data && !data.paired && ON_FILE.has(status) ? <Alert type="warning" showIcon message={t('pair.noneWarning')} style={{ marginBottom: 12 }} data-testid="pair-gap" /> : null}
      {data ? (
        <Descriptions column={{ xs: 1, sm: 3 }} size="small" data-testid="pair-current">
          <Descriptions.Item label={t('pair.helperOrg')}>{data.helperOrgName ?? <Typography.Text type="secondary">{t('pair.none')}</Typography.Text>}</Descriptions.Item>
          <Descriptions.Item label={t('pair.helperPerson')}>{data.helperPerson ?? <Typography.Text type="secondary">—</Typography.Text>}</Descriptions.Item>
          <Descriptions.Item label={t('pair.pairedOn')}>{data.pairedOn ?? <Typography.Text type="secondary">—</Typography.Text>}</Descriptions.Item>
        </Descriptions>
      ) : null}
      {data && !data.editable && can('household.write') ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('pair.notEditable')}
        </Typography.Text>
      ) : null}

      <FormModal<Values>
        open={open}
        title={t('pair.setTitle')}
        okText={t('common.save')}
        onClose={() => setOpen(false)}
        form={form}
        name="pairing"
        onSubmit={submit}
        okTestId="pair-ok"
        formTestId="pair-form"
        width={520}
      >
        <Form.Item name="helperOrgId" label={t('pair.helperOrg')} rules={[{ required: true, message: t('pair.orgPlaceholder') }]}>
          <OrgTreeSelect onlyActive placeholder={t('pair.orgPlaceholder')} data-testid="pair-form-org" />
        </Form.Item>
        <Form.Item name="helperPerson" label={t('pair.helperPerson')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input maxLength={50} data-testid="pair-form-person" />
        </Form.Item>
        <Form.Item name="pairedOn" label={t('pair.pairedOn')} extra={t('pair.pairedOnHelp')}>
          <DatePicker
            style={{ width: 200 }}
            disabledDate={(d) => d.isAfter(dayjs(today), 'day') || d.isBefore(dayjs('2000-01-01'), 'day')}
            data-testid="pair-form-date"
          />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
