import { App, Form, Input, Radio } from 'antd';
import { ApiError } from '../../api/errors';
import { FormModal } from '../../components/FormModal';
import { useT } from '../../i18n/context';
import { decide, type Decision } from './approvalsApi';

interface Values {
  decision: Decision;
  opinion?: string;
}

/**
 * A checker's decision on the current step: approve, return for correction or reject, with an
 * opinion (required to return or reject). Sends the version the checker saw; when someone else
 * acted first the server answers 409 and `onConflict` reloads.
 */
export function DecideModal({
  open,
  approval,
  subject,
  onClose,
  onDone,
  onConflict,
}: {
  open: boolean;
  approval: { id: string; version: number } | null;
  subject: string;
  onClose: () => void;
  onDone: (decision: Decision) => void;
  onConflict: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form);

  const submit = async (values: Values) => {
    if (!approval) return;
    try {
      await decide(approval.id, { decision: values.decision, opinion: values.opinion?.trim() || null, version: approval.version });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        void message.warning(t('appr.conflict'));
        form.resetFields();
        onClose();
        onConflict();
        return;
      }
      throw err;
    }
    void message.success(t(`appr.done.${values.decision}`));
    form.resetFields();
    onDone(values.decision);
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('appr.decideTitle', { subject })}
      okText={t('appr.submit')}
      onClose={onClose}
      form={form}
      name="decide"
      onSubmit={submit}
      okTestId="decide-ok"
      formTestId="decide-form"
      resetOnCancel
      initialValues={{ decision: 'approve' }}
    >
      <Form.Item name="decision" label={t('appr.decision')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={(['approve', 'return', 'reject'] as const).map((d) => ({ value: d, label: t(`appr.action.${d}`) }))}
          data-testid="decide-decision"
        />
      </Form.Item>
      <Form.Item
        name="opinion"
        label={t('appr.opinion')}
        rules={[{ required: decision === 'return' || decision === 'reject', whitespace: true, message: t('appr.opinionRequired') }, { max: 2000 }]}
      >
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('appr.opinionPlaceholder')} data-testid="decide-opinion" />
      </Form.Item>
    </FormModal>
  );
}
