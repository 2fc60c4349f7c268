import { Flex, Progress, Typography } from 'antd';
import { useT } from '../i18n/context';
import type { MessageKey } from '../i18n/zh-CN';

export const MIN_PASSWORD_LENGTH = 10;

/** 0–4: rough strength from length and character variety (a hint only; the server enforces rules). */
export function passwordScore(password: string): number {
  if (!password) return 0;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  let score = 0;
  if (password.length >= MIN_PASSWORD_LENGTH) score += 1;
  if (password.length >= 14) score += 1;
  if (classes >= 2) score += 1;
  if (classes >= 3) score += 1;
  if (password.length < MIN_PASSWORD_LENGTH) score = Math.min(score, 1);
  return Math.max(1, score);
}

const LEVELS: { key: MessageKey; color: string }[] = [
  { key: 'password.strength.weak', color: '#cf1322' },
  { key: 'password.strength.weak', color: '#cf1322' },
  { key: 'password.strength.fair', color: '#d48806' },
  { key: 'password.strength.good', color: '#389e0d' },
  { key: 'password.strength.strong', color: '#237804' },
];

export function PasswordStrength({ password }: { password: string | undefined }) {
  const t = useT();
  const value = password ?? '';
  const score = passwordScore(value);
  const level = LEVELS[score] ?? LEVELS[0]!;
  return (
    <Flex vertical gap={2} data-testid="password-strength">
      {value ? (
        <Flex align="center" gap={8}>
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t('password.strength')}
          </Typography.Text>
          <Progress
            percent={score * 25}
            steps={4}
            showInfo={false}
            strokeColor={level.color}
            size="small"
            aria-label={t('password.strength')}
          />
          <Typography.Text style={{ color: level.color, whiteSpace: 'nowrap' }}>{t(level.key)}</Typography.Text>
        </Flex>
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('password.rules')}
      </Typography.Text>
    </Flex>
  );
}
