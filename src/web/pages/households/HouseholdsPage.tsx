import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Cascader, Empty, Flex, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, FilterOutlined, IdcardOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError, unwrap } from '../../api/errors';
import { useApiError } from '../../api/useApiError';
import { useAuth } from '../../auth/AuthContext';
import { KeysetPager } from '../../components/KeysetPager';
import { PageHeader } from '../../components/PageHeader';
import { useI18n } from '../../i18n/context';
import type { paths } from '../../api/schema';
import { fenToYuan } from '../../lib/money';
import { fetchRegionPath, fetchRegions } from '../../lib/regionsApi';
import { useKeysetPage } from '../../lib/useKeysetPage';
import {
  BATCH_CODES,
  CAUSE_CODES,
  GROUP_CODES,
  STATUS_CODES,
  STATUS_COLORS,
  TYPE_CODES,
  TYPE_COLORS,
  useCodeLabel,
  useCodeOptions,
} from './labels';

type ListQuery = NonNullable<paths['/api/households']['get']['parameters']['query']>;
type ListItem = paths['/api/households']['get']['responses'][200]['content']['application/json']['items'][number];
type Sort = NonNullable<ListQuery['sort']>;

const PAGE_SIZE = 20;
/** The URL parameters that are filters (the URL holds the list's state, so back and reload keep it). */
const FILTER_KEYS = ['regionCode', 'status', 'hardshipType', 'cause', 'group', 'batch', 'paired', 'q', 'sort'] as const;

/** What the text box holds: a file number (digits and hyphens) or a name. */
function textFilter(q: string | null): Pick<ListQuery, 'name' | 'fileNo'> {
  const s = q?.trim();
  if (!s) return {};
  return /^[0-9-]+$/.test(s) ? { fileNo: s } : { name: s };
}

function queryOf(params: URLSearchParams): ListQuery {
  const get = (k: string) => params.get(k) || undefined;
  const paired = get('paired');
  const group = get('group');
  return {
    regionCode: get('regionCode'),
    status: get('status') as ListQuery['status'],
    hardshipType: get('hardshipType') as ListQuery['hardshipType'],
    cause: get('cause') as ListQuery['cause'],
    group: group ? Number(group) : undefined,
    batch: get('batch') as ListQuery['batch'],
    paired: paired === undefined ? undefined : paired === 'true',
    sort: get('sort') as Sort | undefined,
    ...textFilter(params.get('q')),
  };
}

interface RegionOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: RegionOption[];
}

/**
 * Region filter limited to the user's scope: it starts below the scope's own region (a province
 * user picks a city or county of the province). Not shown to a county user, whose scope is one county.
 */
function ScopedRegionPicker({ root, value, onChange }: { root: string; value: string | undefined; onChange: (code: string | undefined) => void }) {
  const { t } = useI18n();
  const { showError } = useApiError();
  const [options, setOptions] = useState<RegionOption[]>([]);
  const [path, setPath] = useState<string[]>([]);
  const toOption = (r: { code: string; name: string; level: string; hasChildren: boolean }): RegionOption => ({
    value: r.code,
    label: r.name,
    isLeaf: r.level === 'county' || !r.hasChildren,
  });

  useEffect(() => {
    let cancelled = false;
    fetchRegions(root || undefined)
      .then((items) => !cancelled && setOptions(items.map(toOption)))
      .catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [root, showError]);

  // A value from the URL: open its path below the root.
  useEffect(() => {
    if (!value) {
      setPath([]);
      return;
    }
    if (path[path.length - 1] === value) return;
    let cancelled = false;
    (async () => {
      const regions = (await fetchRegionPath(value)).filter((r) => r.code !== root && (root === '' || r.code.startsWith(root.replace(/0+$/, ''))));
      const parents = regions.slice(0, -1);
      const lists = await Promise.all(parents.map((r) => fetchRegions(r.code)));
      if (cancelled) return;
      setOptions((current) => {
        const attach = (opts: RegionOption[], depth: number): RegionOption[] =>
          opts.map((o) => (o.value === parents[depth]?.code ? { ...o, children: attach(o.children ?? (lists[depth] ?? []).map(toOption), depth + 1) } : o));
        return attach(current, 0);
      });
      setPath(regions.map((r) => r.code));
    })().catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [value, root]);

  const loadData = (selected: RegionOption[]) => {
    const target = selected[selected.length - 1];
    if (!target || target.children) return;
    fetchRegions(target.value)
      .then((items) => {
        setOptions((current) => {
          const attach = (opts: RegionOption[]): RegionOption[] =>
            opts.map((o) => (o.value === target.value ? { ...o, children: items.map(toOption) } : o.children ? { ...o, children: attach(o.children) } : o));
          return attach(current);
        });
      })
      .catch((err: unknown) => showError(err));
  };

  return (
    <Cascader<RegionOption>
      options={options}
      loadData={loadData}
      changeOnSelect
      value={path}
      placeholder={t('list.regionAll')}
      style={{ width: 150 }}
      onChange={(codes) => {
        const list = (codes ?? []) as string[];
        setPath(list);
        onChange(list[list.length - 1]);
      }}
      data-testid="list-region"
    />
  );
}

/** 困难职工档案: the list of household files in scope — filters, sort, keyset pages, export; exact search by ID number. */
export default function HouseholdsPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { can, user } = useAuth();
  const { showError } = useApiError();
  const { message } = AntApp.useApp();
  const label = useCodeLabel();
  const [params, setParams] = useSearchParams();
  const [showMore, setShowMore] = useState(() => ['cause', 'group', 'batch', 'paired'].some((k) => params.has(k)));
  const [text, setText] = useState(params.get('q') ?? '');
  const [idNumber, setIdNumber] = useState('');
  const [finding, setFinding] = useState(false);
  const [idNotFound, setIdNotFound] = useState(false);
  const [exporting, setExporting] = useState(false);

  const statusOptions = useCodeOptions('status', STATUS_CODES);
  const typeOptions = useCodeOptions('type', TYPE_CODES);
  const causeOptions = useCodeOptions('cause', CAUSE_CODES);
  const groupOptions = useCodeOptions('group', GROUP_CODES);
  const batchOptions = useCodeOptions('batch', BATCH_CODES);

  const query = useMemo(() => queryOf(params), [params]);
  const filterKey = FILTER_KEYS.map((k) => params.get(k) ?? '').join('|');
  const sort: Sort = query.sort ?? 'fileNo';

  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/households', { params: { query: { ...query, cursor, limit: PAGE_SIZE } } })),
    [query],
  );
  const list = useKeysetPage<ListItem>(fetchPage, filterKey);
  useEffect(() => {
    if (list.error) showError(list.error);
  }, [list.error, showError]);

  const setFilter = (key: (typeof FILTER_KEYS)[number], value: string | number | boolean | undefined | null) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === undefined || value === null || value === '') next.delete(key);
        else next.set(key, String(value));
        return next;
      },
      { replace: true },
    );
  };

  const reset = () => {
    setText('');
    setParams(new URLSearchParams(), { replace: true });
  };

  const findById = async () => {
    const value = idNumber.trim();
    if (!value) {
      void message.warning(t('list.idRequired'));
      return;
    }
    setFinding(true);
    setIdNotFound(false);
    try {
      const household = await unwrap(api.POST('/api/households/find-by-id-number', { body: { idNumber: value } }));
      void navigate(`/households/${household.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setIdNotFound(true);
      else showError(err);
    } finally {
      setFinding(false);
    }
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const { sort: s, ...filters } = query;
      const blob = await unwrap(api.GET('/api/households/export.xlsx', { params: { query: { ...filters, sort: s } }, parseAs: 'blob' }));
      const date = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const file = `困难职工档案_${date}.xlsx`;
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      void message.success(t('list.exported', { file }));
    } catch (err) {
      showError(err);
    } finally {
      setExporting(false);
    }
  };

  const scopeRegion = user?.scope.regionCode ?? '';
  const countyScope = /^[0-9]{6}$/.test(scopeRegion) && !scopeRegion.endsWith('00');

  const sortOrderOf = (key: 'fileNo' | 'createdAt' | 'perCapita') => (sort === key ? 'ascend' : sort === `-${key}` ? 'descend' : null);

  const columns: TableProps<ListItem>['columns'] = [
    {
      title: t('list.col.fileNo'),
      dataIndex: 'fileNo',
      key: 'fileNo',
      width: 160,
      sorter: true,
      sortOrder: sortOrderOf('fileNo'),
      render: (v: string, h) => (
        <Link to={`/households/${h.id}`} data-testid="list-file-link">
          {v}
        </Link>
      ),
    },
    {
      title: t('list.col.head'),
      dataIndex: 'headName',
      key: 'headName',
      width: 150,
      ellipsis: true,
      render: (v: string, h) => (
        <>
          {v}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }} title={t('list.col.members')}>
            {t('list.personsUnit', { n: h.memberCount })}
          </Typography.Text>
          {h.headIdNumber ? (
            <div style={{ fontFamily: 'monospace', fontSize: 12, color: 'rgba(0,0,0,0.45)', lineHeight: 1.3 }} data-testid="list-head-id">
              {h.headIdNumber}
            </div>
          ) : null}
        </>
      ),
    },
    // one county's users need no region column
    ...(countyScope ? [] : [{ title: t('list.col.region'), dataIndex: 'regionName', key: 'regionName', width: 108, ellipsis: true }]),
    {
      title: t('list.col.status'),
      dataIndex: 'status',
      key: 'status',
      width: lang === 'en' ? 150 : 96,
      render: (v: string) => <Tag color={STATUS_COLORS[v] ?? 'default'}>{label('status', v)}</Tag>,
    },
    {
      title: t('list.col.type'),
      dataIndex: 'hardshipType',
      key: 'hardshipType',
      width: lang === 'en' ? 136 : 92,
      render: (v: string | null) =>
        v ? <Tag color={TYPE_COLORS[v] ?? 'default'}>{label('type', v)}</Tag> : <Typography.Text type="secondary">{t('list.notClassified')}</Typography.Text>,
    },
    {
      title: t('list.col.perCapita'),
      dataIndex: 'perCapitaMonthlyFen',
      key: 'perCapita',
      width: 104,
      align: 'right',
      sorter: true,
      sortOrder: sortOrderOf('perCapita'),
      render: (v: string | null) => (v === null ? '—' : fenToYuan(v)),
    },
    {
      title: t('list.col.cause'),
      dataIndex: 'primaryCause',
      key: 'primaryCause',
      width: 108,
      ellipsis: true,
      render: (v: string | null, h) => {
        const extra = [...h.targetGroups.map((g) => label('group', g)), ...h.batches.map((b) => label('batch', b))];
        const text = label('cause', v) || '—';
        return extra.length > 0 ? (
          <Tooltip title={extra.join(' · ')}>
            <span>{text}</span>
          </Tooltip>
        ) : (
          text
        );
      },
    },
    {
      title: t('list.col.helper'),
      key: 'helper',
      width: 100,
      ellipsis: true,
      render: (_: unknown, h) =>
        h.helperOrgId ? (
          <Tooltip title={[h.helperOrgName, h.helperPerson].filter(Boolean).join(' · ')}>
            <span>{h.helperPerson || h.helperOrgName}</span>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">{t('list.unpaired')}</Typography.Text>
        ),
    },
    { title: t('list.col.lastVisit'), dataIndex: 'lastVisitOn', key: 'lastVisitOn', width: 100, render: (v: string | null) => v ?? '—' },
    {
      title: t('list.col.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      width: 104,
      sorter: true,
      sortOrder: sortOrderOf('createdAt'),
      render: (v: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(v)),
    },
  ];

  const onTableChange: TableProps<ListItem>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? String(s.columnKey) : null;
    if (!key || !s?.order) setFilter('sort', undefined);
    else setFilter('sort', s.order === 'descend' ? `-${key}` : key === 'fileNo' ? undefined : key);
  };

  const select = (key: (typeof FILTER_KEYS)[number], placeholder: string, options: { value: string | number; label: string }[], width = 120) => (
    <Select
      allowClear
      placeholder={placeholder}
      options={options}
      value={params.get(key) === null ? undefined : key === 'group' ? Number(params.get(key)) : params.get(key)}
      onChange={(v: string | number | undefined) => setFilter(key, v)}
      style={{ width }}
      popupMatchSelectWidth={false}
      data-testid={`list-${key}`}
    />
  );

  return (
    <>
      <PageHeader
        title={t('list.title')}
        extra={
          <>
            <Link to="/households/coverage">{t('list.coverage')}</Link>
            <Link to="/households/reverification">{t('list.reverification')}</Link>
            {can('household.write') ? (
              <Button icon={<UploadOutlined />} onClick={() => void navigate('/households/import')} data-testid="list-import">
                {t('list.import')}
              </Button>
            ) : null}
            {can('household.export') ? (
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="list-export">
                {exporting ? t('list.exporting') : t('list.export')}
              </Button>
            ) : null}
            {can('household.write') ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/households/new')} data-testid="household-create">
                {t('list.create')}
              </Button>
            ) : null}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: '10px 12px' } }}>
        <Flex wrap gap={8} align="center" justify="space-between">
          <Flex wrap gap={8} align="center">
            {countyScope ? null : <ScopedRegionPicker root={scopeRegion} value={query.regionCode} onChange={(code) => setFilter('regionCode', code)} />}
            {select('status', t('list.status'), statusOptions, 104)}
            {select('hardshipType', t('list.type'), typeOptions, 104)}
            <Input.Search
              allowClear
              value={text}
              placeholder={t('list.textPlaceholder')}
              title={t('list.nameHint')}
              onChange={(e) => {
                setText(e.target.value);
                if (!e.target.value) setFilter('q', undefined);
              }}
              onSearch={(v) => setFilter('q', v.trim())}
              style={{ width: 200 }}
              maxLength={50}
              data-testid="list-text"
            />
            <Button type={showMore ? 'default' : 'text'} icon={<FilterOutlined />} onClick={() => setShowMore((v) => !v)} data-testid="list-more">
              {t('list.more')}
            </Button>
            <Button type="link" onClick={reset} style={{ paddingInline: 4 }} data-testid="list-reset">
              {t('list.reset')}
            </Button>
          </Flex>
          <Input.Search
            allowClear
            value={idNumber}
            prefix={<IdcardOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />}
            placeholder={t('list.idPlaceholder')}
            enterButton={
              <Button type="primary" data-testid="household-find-submit">
                {t('common.search')}
              </Button>
            }
            loading={finding}
            autoComplete="off"
            maxLength={24}
            onChange={(e) => {
              setIdNumber(e.target.value);
              setIdNotFound(false);
            }}
            onSearch={() => void findById()}
            style={{ width: lang === 'en' ? 280 : 250 }}
            data-testid="household-find-input"
          />
        </Flex>
        {idNotFound ? (
          <Typography.Text type="warning" style={{ display: 'block', textAlign: 'right', marginTop: 6, fontSize: 13 }} data-testid="household-not-found">
            {t('list.idNotFound')}
          </Typography.Text>
        ) : null}
        {showMore ? (
          <Flex wrap gap={8} align="center" style={{ marginTop: 8 }}>
            {select('cause', t('list.cause'), causeOptions, 150)}
            {select('group', t('list.group'), groupOptions, 150)}
            {select('batch', t('list.batch'), batchOptions, 120)}
            {select(
              'paired',
              t('list.paired'),
              [
                { value: 'true', label: t('list.pairedYes') },
                { value: 'false', label: t('list.pairedNo') },
              ],
              104,
            )}
          </Flex>
        ) : null}
      </Card>
      <Table<ListItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        onChange={onTableChange}
        scroll={{ x: (countyScope ? 968 : 1076) + (lang === 'en' ? 120 : 0) }}
        showSorterTooltip={{ title: t('list.sortHint') }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('list.empty')} /> }}
        data-testid="household-list"
      />
      <KeysetPager list={list} testIdPrefix="household-list" />
    </>
  );
}
