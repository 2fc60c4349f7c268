import { useState, type ReactNode } from 'react';
import { Form, Modal, type FormInstance, type FormProps } from 'antd';
import { useApiError } from '../api/useApiError';
import { useT } from '../i18n/context';

export interface FormModalProps<V> {
  open: boolean;
  title: ReactNode;
  okText: string;
  onClose: () => void;
  form: FormInstance<V>;
  /** The form's name (prefix of its fields' ids). */
  name: string;
  /** Runs on valid input while the OK button spins; what it throws lands on the fields, else in a toast. */
  onSubmit: (values: V) => Promise<void>;
  /** Error codes to show on a field instead, e.g. `{ USERNAME_TAKEN: 'username' }`. */
  errorFields?: Partial<Record<string, string>>;
  okTestId: string;
  formTestId?: string;
  width?: number;
  /** Clear the fields when the dialog is cancelled. */
  resetOnCancel?: boolean;
  /** Keep the form mounted while closed (default), so it can be filled before it opens. */
  forceRender?: boolean;
  destroyOnHidden?: boolean;
  initialValues?: FormProps<V>['initialValues'];
  preserve?: boolean;
  requiredMark?: FormProps<V>['requiredMark'];
  children: ReactNode;
}

/** A dialog around one vertical form: OK submits it, and failures are shown on the form. */
export function FormModal<V>({
  open,
  title,
  okText,
  onClose,
  form,
  name,
  onSubmit,
  errorFields,
  okTestId,
  formTestId,
  width,
  resetOnCancel,
  forceRender = true,
  destroyOnHidden,
  initialValues,
  preserve,
  requiredMark,
  children,
}: FormModalProps<V>) {
  const t = useT();
  const { showFormError } = useApiError();
  const [saving, setSaving] = useState(false);

  const submit = async (values: V) => {
    setSaving(true);
    try {
      await onSubmit(values);
    } catch (err) {
      showFormError(err, form, errorFields);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => {
        if (resetOnCancel) form.resetFields();
        onClose();
      }}
      okButtonProps={{ 'data-testid': okTestId }}
      destroyOnHidden={destroyOnHidden}
      forceRender={forceRender}
      width={width}
    >
      <Form<V>
        form={form}
        name={name}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        preserve={preserve}
        requiredMark={requiredMark}
        data-testid={formTestId}
      >
        {children}
      </Form>
    </Modal>
  );
}
