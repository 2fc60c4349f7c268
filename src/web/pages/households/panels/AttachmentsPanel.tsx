import { useCallback, useMemo, useState } from 'react';
import { App, Alert, Button, Empty, Flex, Input, Popconfirm, Table, Typography, Upload } from 'antd';
import type { TableColumnsType, UploadProps } from 'antd';
import { DeleteOutlined, DownloadOutlined, FileImageOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { api } from '../../../api/client';
import { ApiError, unwrap } from '../../../api/errors';
import { useApiError } from '../../../api/useApiError';
import { useAuth } from '../../../auth/AuthContext';
import { useT } from '../../../i18n/context';
import { formatDateTime } from '../../../lib/format';
import { useAsync } from '../../../lib/useAsync';

/** As the server limits them; the server decides (by the bytes), this only spares a wasted upload. */
const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';
const ACCEPTED_NAME = /\.(pdf|jpe?g|png)$/i;
const DELETABLE = new Set(['draft', 'submitted']);
const CLOSED = new Set(['exited', 'removed']);

export interface AttachmentItem {
  id: string;
  householdId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  description: string | null;
  uploadedBy: string | null;
  uploaderName: string | null;
  createdAt: string;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const attachmentUrl = (householdId: string, attachmentId: string) =>
  `/api/households/${encodeURIComponent(householdId)}/attachments/${encodeURIComponent(attachmentId)}`;

/** 证明材料: scans of evidence on a household file — upload (PDF/JPEG/PNG ≤ 10 MB), download, delete while draft or submitted. */
export function AttachmentsPanel({ householdId, status }: { householdId: string; status: string }) {
  const t = useT();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { showError, describe } = useApiError();
  const [description, setDescription] = useState('');
  const [uploading, setUploading] = useState(false);
  const canWrite = can('household.write');
  const canUpload = canWrite && !CLOSED.has(status);
  const canDelete = canWrite && DELETABLE.has(status);

  const load = useCallback(
    () => unwrap(api.GET('/api/households/{id}/attachments', { params: { path: { id: householdId } } })).then((r) => r.items as AttachmentItem[]),
    [householdId],
  );
  const { data: items, error, loading, reload } = useAsync(load, [load]);

  /** The server's own words for a refused file (they name the accepted types and the limit). */
  const uploadError = useCallback(
    (err: unknown) => (err instanceof ApiError && err.fieldErrors.length > 0 ? err.fieldErrors.map((f) => f.message).join('；') : describe(err)),
    [describe],
  );

  const customRequest: UploadProps['customRequest'] = ({ file, onSuccess, onError }) => {
    const blob = file as File;
    const form = new FormData();
    if (description.trim()) form.append('description', description.trim());
    form.append('file', blob, blob.name);
    setUploading(true);
    unwrap(
      api.POST('/api/households/{id}/attachments', {
        params: { path: { id: householdId } },
        body: form as never,
        bodySerializer: (b: unknown) => b as FormData,
      }),
    )
      .then((res) => {
        onSuccess?.(res);
        void message.success(t('att.uploaded', { name: blob.name }));
        setDescription('');
        reload();
      })
      .catch((err: unknown) => {
        onError?.(err as Error);
        if (err instanceof ApiError && err.status === 401) return;
        void message.error(uploadError(err));
      })
      .finally(() => setUploading(false));
  };

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    if (file.size > MAX_BYTES) {
      void message.error(t('att.tooLarge', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    if (!ACCEPTED_NAME.test(file.name) && !['application/pdf', 'image/jpeg', 'image/png'].includes(file.type)) {
      void message.error(t('att.badType', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const remove = useCallback(
    async (a: AttachmentItem) => {
      try {
        await unwrap(api.DELETE('/api/households/{id}/attachments/{attachmentId}', { params: { path: { id: householdId, attachmentId: a.id } } }));
        void message.success(t('att.deleted'));
        reload();
      } catch (err) {
        showError(err);
      }
    },
    [householdId, message, reload, showError, t],
  );

  const columns = useMemo<TableColumnsType<AttachmentItem>>(
    () => [
      {
        title: t('att.fileName'),
        dataIndex: 'fileName',
        ellipsis: true,
        render: (_: string, a) => (
          <Flex vertical gap={2} style={{ minWidth: 0 }}>
            <Typography.Link href={attachmentUrl(householdId, a.id)} download={a.fileName} ellipsis title={a.fileName}>
              {a.contentType === 'application/pdf' ? <FilePdfOutlined style={{ color: '#cf1322' }} /> : <FileImageOutlined style={{ color: '#1677ff' }} />} {a.fileName}
            </Typography.Link>
            {a.description ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {a.description}
              </Typography.Text>
            ) : null}
          </Flex>
        ),
      },
      { title: t('att.size'), dataIndex: 'sizeBytes', width: 90, align: 'right', render: (v: number) => formatBytes(v) },
      { title: t('att.uploader'), dataIndex: 'uploaderName', width: 150, ellipsis: true, render: (v: string | null) => v ?? '—' },
      { title: t('att.uploadedAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v, true) },
      {
        title: t('att.actions'),
        key: 'actions',
        width: canDelete ? 150 : 90,
        render: (_: unknown, a) => (
          <Flex gap={4}>
            <Button type="link" size="small" icon={<DownloadOutlined />} href={attachmentUrl(householdId, a.id)} download={a.fileName} style={{ paddingInline: 0 }}>
              {t('att.download')}
            </Button>
            {canDelete ? (
              <Popconfirm title={t('att.deleteConfirm', { name: a.fileName })} okButtonProps={{ danger: true }} onConfirm={() => remove(a)}>
                <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`attachment-delete-${a.id}`}>
                  {t('att.delete')}
                </Button>
              </Popconfirm>
            ) : null}
          </Flex>
        ),
      },
    ],
    [t, householdId, canDelete, remove],
  );

  return (
    <Flex vertical gap={12} data-testid="attachments-panel">
      {canUpload ? (
        <Flex gap={8} wrap align="center">
          <Input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={200}
            placeholder={t('att.descriptionPlaceholder')}
            style={{ width: 280 }}
            aria-label={t('att.description')}
          />
          <Upload accept={ACCEPT} multiple={false} showUploadList={false} beforeUpload={beforeUpload} customRequest={customRequest} disabled={uploading}>
            <Button type="primary" icon={<UploadOutlined />} loading={uploading} data-testid="attachment-upload">
              {uploading ? t('att.uploading') : t('att.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('att.hint')}
          </Typography.Text>
        </Flex>
      ) : canWrite && CLOSED.has(status) ? (
        <Typography.Text type="secondary">{t('att.closed')}</Typography.Text>
      ) : null}
      {canWrite && !canDelete && !CLOSED.has(status) ? (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('att.readOnly')}
        </Typography.Text>
      ) : null}
      {error && !items ? <Alert type="warning" showIcon message={t('att.loadFailed')} description={describe(error)} /> : null}
      <Table<AttachmentItem>
        rowKey="id"
        columns={columns}
        dataSource={items ?? []}
        loading={loading}
        pagination={false}
        size="middle"
        tableLayout="fixed"
        scroll={{ x: 640 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('att.empty')} /> }}
        data-testid="attachments-table"
      />
    </Flex>
  );
}

export default AttachmentsPanel;
