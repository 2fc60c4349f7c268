import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Empty, Flex, Grid, Select, Skeleton, Tag, Typography } from 'antd';
import { CalendarOutlined, EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useT, type Translate } from '../../i18n/context';
import type { MessageKey } from '../../i18n/zh-CN';

// The public, no-login pages of postings (公示公告, domain.md §11). They call the public API only
// (no session, no CSRF), so they work for anyone; names and ID numbers arrive already masked.

export type PublicPosting = ResponseOf<'/api/public/postings', 'get'>['items'][number];

/** Today in China, 'YYYY-MM-DD' (postings run on China's calendar days). */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/** 还剩 N 天 (counting today), 今日截止, or 尚未开始, as a small tag. */
export function DaysLeft({ startsOn, endsOn }: Pick<PublicPosting, 'startsOn' | 'endsOn'>) {
  const t = useT();
  const today = dayNumber(chinaToday());
  if (dayNumber(startsOn) > today) return <Tag>{t('pub.notStarted')}</Tag>;
  const left = dayNumber(endsOn) - today;
  if (left <= 0) return <Tag color="red">{t('pub.endsToday')}</Tag>;
  return <Tag color={left < 3 ? 'orange' : 'blue'}>{t('pub.daysLeft', { n: left + 1 })}</Tag>;
}

export function kindLabel(t: Translate, kind: PublicPosting['kind']): string {
  return t(`pub.kind.${kind}` as MessageKey);
}

/** The public pages' frame: a light header with the name, the language switch and the staff sign-in. */
export function PublicShell({ children }: { children: ReactNode }) {
  const t = useT();
  const narrow = Grid.useBreakpoint().sm === false;
  return (
    <div style={{ minHeight: '100vh', background: '#f3f5f8' }}>
      <header style={{ background: '#fff', borderBottom: '1px solid #e8ecf1' }}>
        <Flex align="center" justify="space-between" gap={12} style={{ maxWidth: 1080, margin: '0 auto', padding: '10px 16px' }}>
          <Link to="/public/postings" style={{ color: 'inherit' }} data-testid="pub-home">
            <Flex align="center" gap={8}>
              <img src="/favicon.svg" alt="" width={28} height={28} />
              <Typography.Text strong style={{ fontSize: 17, whiteSpace: 'nowrap' }}>
                {narrow ? t('pub.title') : t('pub.brand')}
              </Typography.Text>
            </Flex>
          </Link>
          <Flex align="center" gap={12}>
            <Link to="/login" style={{ fontSize: 13, whiteSpace: 'nowrap' }} data-testid="pub-staff-login">
              {t('pub.staffLogin')}
            </Link>
            <LanguageSwitch size="small" />
          </Flex>
        </Flex>
      </header>
      <main style={{ maxWidth: 1080, margin: '0 auto', padding: '16px 12px 40px' }}>{children}</main>
    </div>
  );
}

interface RegionOption {
  value: string;
  label: string;
  /** 0 province, 1 city, 2 county: indentation in the list */
  depth: number;
}

/** Province names by the first two digits of a region code (GB/T 2260), as the public API names counties only. */
const PROVINCES: Record<string, string> = {
  '11': '北京市', '12': '天津市', '13': '河北省', '14': '山西省', '15': '内蒙古自治区', '21': '辽宁省', '22': '吉林省', '23': '黑龙江省',
  '31': '上海市', '32': '江苏省', '33': '浙江省', '34': '安徽省', '35': '福建省', '36': '江西省', '37': '山东省', '41': '河南省',
  '42': '湖北省', '43': '湖南省', '44': '广东省', '45': '广西壮族自治区', '46': '海南省', '50': '重庆市', '51': '四川省', '52': '贵州省',
  '53': '云南省', '54': '西藏自治区', '61': '陕西省', '62': '甘肃省', '63': '青海省', '64': '宁夏回族自治区', '65': '新疆维吾尔自治区',
  '71': '台湾省', '81': '香港特别行政区', '82': '澳门特别行政区',
};

/**
 * Provinces, cities and counties present in the postings, indented under each other. Provinces are
 * named from the table above; a city or county is offered when a posting names it (a posting at
 * 410100 names 郑州市, one at 410102 names 中原区).
 */
function regionOptions(items: PublicPosting[], t: Translate): RegionOption[] {
  const names = new Map<string, string>();
  for (const p of items) {
    const c = p.regionCode;
    const province = c.slice(0, 2);
    names.set(province, PROVINCES[province] ?? t('pub.regionCode', { code: province }));
    if (!p.regionName || c.endsWith('0000')) continue;
    names.set(c.endsWith('00') ? c.slice(0, 4) : c, p.regionName);
  }
  return [...names.keys()]
    .sort((a, b) => a.padEnd(6, '0').localeCompare(b.padEnd(6, '0')) || a.length - b.length)
    .map((code) => ({ value: code, label: names.get(code) ?? code, depth: code.length / 2 - 1 }));
}

function PostingCard({ p }: { p: PublicPosting }) {
  const t = useT();
  return (
    <Link to={`/public/postings/${p.id}`} data-testid="pub-posting" style={{ display: 'block', color: 'inherit' }}>
      <Card hoverable size="small" styles={{ body: { padding: 16 } }}>
        <Flex vertical gap={8}>
          <Flex justify="space-between" align="flex-start" gap={8}>
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="pub-posting-title">
              {p.title}
            </Typography.Text>
            <DaysLeft startsOn={p.startsOn} endsOn={p.endsOn} />
          </Flex>
          <Flex wrap gap="4px 16px" style={{ color: 'rgba(0,0,0,0.55)', fontSize: 13 }}>
            <span>
              <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
                {kindLabel(t, p.kind)}
              </Tag>
            </span>
            <span>{p.orgName}</span>
            <span>
              <EnvironmentOutlined /> {p.regionName ?? p.regionCode}
            </span>
            <span>
              <CalendarOutlined /> {t('pub.periodRange', { from: p.startsOn, to: p.endsOn })}
            </span>
            <span>
              <TeamOutlined /> {t('pub.itemCount', { n: p.itemCount })}
            </span>
          </Flex>
        </Flex>
      </Card>
    </Link>
  );
}

export default function PublicPostingsPage() {
  const t = useT();
  const [all, setAll] = useState<PublicPosting[] | null>(null);
  const [region, setRegion] = useState<string | undefined>(undefined);
  const [items, setItems] = useState<PublicPosting[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const load = useCallback(async (code: string | undefined) => {
    const r = await unwrap(api.GET('/api/public/postings', { params: { query: code ? { region: code } : {} } }));
    return r.items;
  }, []);

  // everything once, for the region choices
  useEffect(() => {
    let live = true;
    load(undefined).then(
      (list) => live && setAll(list),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [load, attempt]);

  useEffect(() => {
    let live = true;
    if (!region) {
      setItems(all);
      return;
    }
    setItems(null);
    load(region).then(
      (list) => live && setItems(list),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [region, all, load]);

  const options = useMemo(() => regionOptions(all ?? [], t), [all, t]);

  useEffect(() => {
    document.title = t('pub.brand');
  }, [t]);

  return (
    <PublicShell>
      <Flex vertical gap={16} data-testid="pub-postings">
        <Flex justify="space-between" align="flex-end" wrap gap={12}>
          <div style={{ flex: '1 1 320px', minWidth: 0 }}>
            <Typography.Title level={3} style={{ margin: '4px 0 6px' }}>
              {t('pub.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 680 }}>
              {t('pub.intro')}
            </Typography.Paragraph>
          </div>
          <Select<string, RegionOption>
            allowClear
            placeholder={t('pub.regionAll')}
            aria-label={t('pub.region')}
            value={region}
            onChange={(v) => setRegion(v)}
            options={options}
            optionRender={(o) => <span style={{ paddingInlineStart: (o.data.depth ?? 0) * 16 }}>{o.label}</span>}
            style={{ width: 220, maxWidth: '100%' }}
            data-testid="pub-region"
          />
        </Flex>
        {failed ? (
          <Alert
            type="error"
            showIcon
            title={t('pub.loadFailed')}
            action={
              <Button
                size="small"
                onClick={() => {
                  setFailed(false);
                  setAttempt((n) => n + 1);
                }}
              >
                {t('pub.retry')}
              </Button>
            }
          />
        ) : items === null ? (
          <Card>
            <Skeleton active />
          </Card>
        ) : items.length === 0 ? (
          <Card>
            <Empty description={t('pub.empty')} data-testid="pub-empty" />
          </Card>
        ) : (
          <Flex vertical gap={12}>
            {items.map((p) => (
              <PostingCard key={p.id} p={p} />
            ))}
          </Flex>
        )}
      </Flex>
    </PublicShell>
  );
}
