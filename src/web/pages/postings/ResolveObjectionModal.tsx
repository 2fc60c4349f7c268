import { useEffect } from 'react';
import { Form, Input, Radio, Typography } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import type { PostingDetail, PostingItem } from './shared';

interface Values {
  decision: 'dismiss' | 'uphold';
  opinion: string;
}

/** 处理异议: dismiss (keep posting) or uphold the open objections against one item, with an opinion. */
export function ResolveObjectionModal({
  posting,
  item,
  onClose,
  onResolved,
}: {
  posting: PostingDetail;
  item: PostingItem | null;
  onClose: () => void;
  onResolved: (p: PostingDetail) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form);
  const open = item !== null;
  const pending = item ? item.objections.filter((o) => o.status === 'open') : [];

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  return (
    <FormModal<Values>
      open={open}
      title={item ? t('post.r.title', { seq: item.seq, name: item.maskedName }) : ''}
      okText={t('post.r.submit')}
      onClose={onClose}
      form={form}
      name="posting-resolve"
      okTestId="posting-resolve-submit"
      formTestId="posting-resolve-form"
      initialValues={{ decision: 'dismiss', opinion: '' }}
      width={600}
      onSubmit={async (v) => {
        if (!item) return;
        const p = await unwrap(api.POST('/api/postings/{id}/items/{itemId}/resolve', { params: { path: { id: posting.id, itemId: item.id } }, body: { decision: v.decision, opinion: v.opinion.trim() } }));
        onResolved(p);
      }}
    >
      {pending.length > 0 && (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary">{t('post.r.objectionCount', { n: pending.length })}</Typography.Text>
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, maxHeight: 160, overflow: 'auto' }}>
            {pending.map((o) => (
              <li key={o.id}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(o.createdAt, true)}
                </Typography.Text>{' '}
                {o.content}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Form.Item
        name="decision"
        label={t('post.r.decision')}
        rules={[{ required: true }]}
        extra={decision === 'uphold' ? t(posting.kind === 'application' ? 'post.r.upholdHelp.application' : 'post.r.upholdHelp.household') : t('post.r.dismissHelp')}
      >
        <Radio.Group
          options={[
            { value: 'dismiss', label: t('post.r.dismiss') },
            { value: 'uphold', label: t('post.r.uphold') },
          ]}
          data-testid="posting-resolve-decision"
        />
      </Form.Item>
      <Form.Item name="opinion" label={t('post.r.opinion')} rules={[{ required: true, whitespace: true, min: 2, max: 2000, message: t('post.r.opinionRequired') }]}>
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('post.r.opinionPlaceholder')} data-testid="posting-resolve-opinion" />
      </Form.Item>
    </FormModal>
  );
}
