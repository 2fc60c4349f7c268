import { useEffect } from 'react';
import { App, Form, Input, Typography } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useI18n } from '../../i18n/context';
import { type Flag, flagDetails } from './FlagsShared';

export type Decision = 'acknowledged' | 'resolved';

interface Values {
  note: string;
}

/** Acknowledge (知悉) or resolve (处理) one flag, with a required note of 2–1000 characters. */
export function FlagsDecideModal({ flag, decision, onClose, onDone }: { flag: Flag | null; decision: Decision; onClose: () => void; onDone: (f: Flag) => void }) {
  const { t, has } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();

  useEffect(() => {
    if (flag) form.resetFields();
  }, [flag, decision, form]);

  return (
    <FormModal<Values>
      open={flag !== null}
      title={t(`pay.flag.modal.${decision}`)}
      okText={t(decision === 'resolved' ? 'pay.flag.act.resolve' : 'pay.flag.act.acknowledge')}
      onClose={onClose}
      form={form}
      name="flag-decide"
      okTestId="flag-decide-ok"
      formTestId="flag-decide-form"
      resetOnCancel
      onSubmit={async ({ note }) => {
        if (!flag) return;
        const f = await unwrap(api.POST('/api/payments/flags/{id}/decide', { params: { path: { id: flag.id } }, body: { status: decision, note: note.trim() } }));
        void message.success(t(`pay.flag.done.${decision}`));
        onDone(f);
      }}
    >
      {flag ? (
        <Typography.Paragraph style={{ marginBottom: 16 }}>
          <Typography.Text strong>{t('pay.flag.modal.subject', { kind: t(`pay.flag.kind.${flag.kind}`), fileNo: flag.fileNo, name: flag.headName })}</Typography.Text>
          <br />
          <Typography.Text type="secondary">{flagDetails(flag, t, has)}</Typography.Text>
        </Typography.Paragraph>
      ) : null}
      <Form.Item
        name="note"
        label={t(`pay.flag.modal.note.${decision}`)}
        rules={[
          { required: true, whitespace: true, message: t('pay.flag.modal.noteRule') },
          {
            validator: (_, v: string | undefined) => {
              const n = (v ?? '').trim().length;
              return n === 0 || (n >= 2 && n <= 1000) ? Promise.resolve() : Promise.reject(new Error(t('pay.flag.modal.noteRule')));
            },
          },
        ]}
      >
        <Input.TextArea rows={4} maxLength={1000} showCount placeholder={t(`pay.flag.modal.placeholder.${decision}`)} data-testid="flag-decide-note" />
      </Form.Item>
    </FormModal>
  );
}
