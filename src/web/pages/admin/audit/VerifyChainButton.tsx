import { useState } from 'react';
import { Alert, Button } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { AuditVerify } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { useT } from '../../../i18n/context';

/** Button that runs GET /api/audit/verify. */
export function VerifyChainButton({ onResult }: { onResult: (result: AuditVerify) => void }) {
  const t = useT();
  const { showError } = useApiError();
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    try {
      onResult(await unwrap(api.GET('/api/audit/verify')));
    } catch (err) {
      showError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <Button icon={<SafetyCertificateOutlined />} loading={running} onClick={() => void run()} data-testid="audit-verify">
      {t('audit.verify')}
    </Button>
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
