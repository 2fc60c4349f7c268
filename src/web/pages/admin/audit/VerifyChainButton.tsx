import { Alert, Button, Progress, Space } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { AuditVerify } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useT } from '../../../i18n/context';
import { useJob } from '../../../lib/jobs';

/** Starts chain verification as a server job and shows its progress until the result is in. */
export function VerifyChainButton({ onResult }: { onResult: (result: AuditVerify) => void }) {
  const t = useT();
  const { showError } = useApiError();
  const { job, follow, reset } = useJob();
  const running = job !== null && (job.status === 'queued' || job.status === 'running');
  const run = async () => {
    try {
      const ended = await follow(() => unwrap(api.POST('/api/audit/verify-jobs')));
      if (ended.status === 'succeeded') onResult(ended.result as AuditVerify);
      else if (ended.status === 'failed') showError(new Error(ended.error ?? ''));
    } catch (err) {
      showError(err);
    } finally {
      reset();
    }
  };
  return (
    <Space>
      {running ? (
        <Progress
          percent={job.percent ?? 0}
          status="active"
          size="small"
          style={{ width: 160 }}
          format={() => `${job.progressDone.toLocaleString()} / ${job.progressTotal?.toLocaleString() ?? '…'}`}
          data-testid="audit-verify-progress"
        />
      ) : null}
      <Button icon={<SafetyCertificateOutlined />} loading={running} onClick={() => void run()} data-testid="audit-verify">
        {t('audit.verify')}
      </Button>
    </Space>
  );
}

/** OK, or the first broken link of the chain. */
export function VerifyResult({ result, onClose }: { result: AuditVerify; onClose: () => void }) {
  const t = useT();
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      closable={{ onClose }}
      type={result.ok ? 'success' : 'error'}
      data-testid="audit-verify-result"
      data-ok={String(result.ok)}
      title={
        result.ok || !result.firstBroken
          ? t('audit.verifyOk', { n: result.checked })
          : t('audit.verifyBroken', {
              seq: result.firstBroken.seq,
              n: result.checked,
              reason: result.firstBroken.reason,
              chain: result.firstBroken.provinceCode || t('scope.national'),
            })
      }
    />
  );
}
