import { useEffect, useState } from 'react';
import { Form, Input, Select, Typography } from 'antd';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { Org, Region } from '../../../api/types';
import { FormModal } from '../../../components/FormModal';
import { RegionCascader } from '../../../components/RegionCascader';
import { useT } from '../../../i18n/context';
import { useLabels } from '../../../i18n/labels';
import { childTypesFor, levelFor, regionDepthFor, regionFits, type OrgType } from '../../../lib/orgTypes';

interface Values {
  name: string;
  type: OrgType;
  regionCode?: string;
  industry?: string;
}

export interface OrgCreateModalProps {
  parent: Org | null;
  onClose: () => void;
  onCreated: (org: Org) => void;
}

/** Create a sub-organisation under `parent`; level follows from type (and region). */
export function OrgCreateModal({ parent, onClose, onCreated }: OrgCreateModalProps) {
  const t = useT();
  const labels = useLabels();
  const [form] = Form.useForm<Values>();
  const [region, setRegion] = useState<Region | null>(null);
  const type = Form.useWatch('type', form);
  const regionCode = Form.useWatch('regionCode', form);

  useEffect(() => {
    if (!parent) return;
    form.resetFields();
    form.setFieldsValue({ regionCode: parent.regionCode || undefined });
    setRegion(null);
  }, [parent, form]);

  const depth = regionDepthFor(type);
  const national = depth === null;
  const regionLevel = national ? null : regionCode ? (region?.code === regionCode ? region.level : undefined) : null;
  const level = levelFor(type, regionLevel);

  const submit = async (values: Values) => {
    if (!parent) return;
    const industry = values.industry?.trim();
    const org = await unwrap(
      api.POST('/api/orgs', {
        body: {
          parentId: parent.id,
          name: values.name.trim(),
          type: values.type,
          regionCode: national ? '' : (values.regionCode ?? ''),
          ...(industry ? { industry } : {}),
        },
      }),
    );
    onCreated(org);
  };

  return (
    <FormModal<Values>
      open={parent !== null}
      title={t('orgs.createTitle', { parent: parent?.name ?? '' })}
      okText={t('common.create')}
      onClose={onClose}
      form={form}
      name="orgCreate"
      onSubmit={submit}
      okTestId="org-create-submit"
      formTestId="org-create-form"
      width={560}
    >
      <Form.Item
        name="name"
        label={t('orgs.name')}
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('orgs.name') }) }, { max: 200 }]}
      >
        <Input data-testid="org-form-name" />
      </Form.Item>
      <Form.Item name="type" label={t('orgs.type')} rules={[{ required: true, message: t('common.selectRequired', { field: t('orgs.type') }) }]}>
        <Select
          data-testid="org-form-type"
          options={childTypesFor(parent?.level ?? 'national').map((code) => ({ value: code, label: labels.orgType(code) }))}
          onChange={() => form.validateFields(['regionCode']).catch(() => undefined)}
        />
      </Form.Item>
      <Form.Item label={t('orgs.level')} tooltip={t('orgs.levelHint')}>
        <Typography.Text data-testid="org-form-level">{level ? labels.orgLevel(level) : '—'}</Typography.Text>
      </Form.Item>
      {national ? (
        <Form.Item label={t('orgs.region')}>
          <Typography.Text type="secondary">{t('orgs.regionNational')}</Typography.Text>
        </Form.Item>
      ) : (
        <Form.Item
          name="regionCode"
          label={t('orgs.region')}
          rules={[
            { required: true, message: t('common.selectRequired', { field: t('orgs.region') }) },
            {
              validator: async () => {
                if (depth === 'any' || depth === null || !region || region.code !== regionCode) return;
                if (!regionFits(type, region)) throw new Error(t('orgs.regionLevelMismatch', { level: labels.regionLevel(depth) }));
              },
            },
          ]}
        >
          <RegionCascader maxLevel={depth} onSelectRegion={setRegion} data-testid="org-form-region" />
        </Form.Item>
      )}
      <Form.Item name="industry" label={t('orgs.industry')}>
        <Input placeholder={t('orgs.industryPlaceholder')} data-testid="org-form-industry" />
      </Form.Item>
    </FormModal>
  );
}
