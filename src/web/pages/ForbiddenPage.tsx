import { Result } from 'antd';
import { BackHomeButton } from '../components/BackHomeButton';
import { useT } from '../i18n/context';

/** Shown in place of a page the user lacks the permission for (kept in the main chunk: tiny). */
export function ForbiddenPage() {
  const t = useT();
  return (
    <Result
      status="403"
      title={t('forbidden.title')}
      subTitle={t('forbidden.desc')}
      extra={<BackHomeButton primary />}
      data-testid="forbidden"
    />
  );
}
