import { useEffect } from 'react';
import { Form, Input } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { Org } from '../../../api/types';
import { FormModal } from '../../../components/FormModal';
import { useT } from '../../../i18n/context';

interface Values {
  name: string;
  industry?: string;
}

/** Rename an organisation or change its industry. */
export function OrgEditModal({ org, onClose, onSaved }: { org: Org | null; onClose: () => void; onSaved: (org: Org) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (org) form.setFieldsValue({ name: org.name, industry: org.industry ?? '' });
  }, [org, form]);

  const submit = async (values: Values) => {
    if (!org) return;
    const industry = values.industry?.trim();
    const saved = await unwrap(
      api.PATCH('/api/orgs/{id}', {
        params: { path: { id: org.id } },
        body: { name: values.name.trim(), industry: industry ? industry : null },
      }),
    );
    onSaved(saved);
  };

  return (
    <FormModal<Values>
      open={org !== null}
      title={t('orgs.editTitle')}
      okText={t('common.save')}
      onClose={onClose}
      form={form}
      name="orgEdit"
      onSubmit={submit}
      okTestId="org-edit-submit"
    >
      <Form.Item
        name="name"
        label={t('orgs.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('orgs.name') }) }, { max: 200 }]}
      >
        <Input data-testid="org-edit-name" />
      </Form.Item>
      <Form.Item name="industry" label={t('orgs.industry')}>
        <Input placeholder={t('orgs.industryPlaceholder')} data-testid="org-edit-industry" />
      </Form.Item>
    </FormModal>
  );
}
