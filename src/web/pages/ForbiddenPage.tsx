import { Result } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { BackHomeButton } from '../components/BackHomeButton';
import { useT } from '../i18n/context';

/** Shown in place of a page the user lacks the permission for (kept in the main chunk: tiny). */
export function ForbiddenPage() {
  const t = useT();
  return (
    <Result
      icon={<LockOutlined style={{ color: '#8aa4c8' }} />}
      title={t('forbidden.title')}
      subTitle={t('forbidden.desc')}
      extra={<BackHomeButton primary />}
      data-testid="forbidden"
    />
  );
}
