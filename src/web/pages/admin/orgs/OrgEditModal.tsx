import { useEffect, useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { Org } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useT } from '../../../i18n/context';

interface Values {
  name: string;
  industry?: string;
}

/** Rename an organisation or change its industry. */
export function OrgEditModal({ org, onClose, onSaved }: { org: Org | null; onClose: () => void; onSaved: (org: Org) => void }) {
  const t = useT();
  const { showFormError } = useApiError();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (org) form.setFieldsValue({ name: org.name, industry: org.industry ?? '' });
  }, [org, form]);

  const submit = async (values: Values) => {
    if (!org) return;
    setSaving(true);
    try {
      const industry = values.industry?.trim();
      const saved = await unwrap(
        api.PATCH('/api/orgs/{id}', {
          params: { path: { id: org.id } },
          body: { name: values.name.trim(), industry: industry ? industry : null },
        }),
      );
      onSaved(saved);
    } catch (err) {
      showFormError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={org !== null}
      title={t('orgs.editTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'org-edit-submit' }}
      forceRender
    >
      <Form<Values> form={form} name="orgEdit" layout="vertical" onFinish={submit}>
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
      </Form>
    </Modal>
  );
}
