import { useEffect, useRef, useState } from 'react';
import { Select, Typography } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { Org } from '../../api/types';
import { useApiError } from '../../api/useApiError';
import { fetchOrgChildren } from '../../lib/orgsApi';

/**
 * An organisation of the caller's scope that can pay (one with a region): the top of the tree and
 * the level below it at first, any other found by name (GET /api/orgs?q=).
 */
export function OrgSearchSelect({ value, onChange, placeholder, id, ...rest }: { value?: string; onChange?: (id: string | undefined) => void; placeholder?: string; id?: string; 'data-testid'?: string }) {
  const { showError } = useApiError();
  const [initial, setInitial] = useState<Org[]>([]);
  const [found, setFound] = useState<Org[] | null>(null);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const tops = await fetchOrgChildren();
      const below = (await Promise.all(tops.filter((o) => o.childCount > 0).map((o) => fetchOrgChildren(o.id)))).flat();
      if (!cancelled) setInitial([...tops, ...below]);
    })().catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [showError]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) {
      setFound(null);
      return;
    }
    timer.current = setTimeout(() => {
      setLoading(true);
      unwrap(api.GET('/api/orgs', { params: { query: { q: q.trim(), limit: 30 } } }))
        .then((r) => setFound(r.items))
        .catch(showError)
        .finally(() => setLoading(false));
    }, 250);
  };

  const [chosen, setChosen] = useState<Org | null>(null);
  const shown = (found ?? initial).filter((o) => o.regionCode !== '' && o.active);
  // the chosen one stays labelled after a search moved on
  const orgs = chosen && chosen.id === value && !shown.some((o) => o.id === chosen.id) ? [chosen, ...shown] : shown;
  return (
    <Select<string>
      id={id}
      data-testid={rest['data-testid']}
      value={value}
      onChange={(v) => {
        setChosen(orgs.find((o) => o.id === v) ?? null);
        onChange?.(v);
      }}
      placeholder={placeholder}
      showSearch
      filterOption={false}
      onSearch={search}
      loading={loading}
      onBlur={() => setFound(null)}
      options={orgs.map((o) => ({ value: o.id, label: o.name }))}
      optionRender={(opt) => {
        const o = orgs.find((x) => x.id === opt.value);
        return (
          <span>
            {opt.label}
            {o ? (
              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
                {o.regionName}
              </Typography.Text>
            ) : null}
          </span>
        );
      }}
    />
  );
}
