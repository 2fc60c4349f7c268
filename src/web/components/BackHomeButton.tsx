import { Button } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../i18n/context';

export function BackHomeButton({ primary = false }: { primary?: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Button type={primary ? 'primary' : 'default'} onClick={() => void navigate('/')} data-testid="back-home">
      {t('common.backHome')}
    </Button>
  );
}
