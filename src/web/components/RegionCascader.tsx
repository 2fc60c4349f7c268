import { useCallback, useEffect, useMemo, useState } from 'react';
import { Cascader } from 'antd';
import type { Region } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useT } from '../i18n/context';
import { fetchRegionPath, fetchRegions } from '../lib/regionsApi';
import type { RegionLevel } from '../lib/orgTypes';

interface RegionOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: RegionOption[];
}

const DEPTH: Record<RegionLevel, number> = { province: 1, city: 2, county: 3 };

export interface RegionCascaderProps {
  /** Selected region code (antd Form controlled value). */
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Called with the selected region (null when cleared). */
  onSelectRegion?: (region: Region | null) => void;
  /** Deepest selectable level; 'any' lets any level be chosen. */
  maxLevel?: RegionLevel | 'any';
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}

/** Province / city / county picker loading GET /api/regions?parent=CODE lazily. */
export function RegionCascader({ value, onChange, onSelectRegion, maxLevel = 'any', disabled, id, ...rest }: RegionCascaderProps) {
  const t = useT();
  const { showError } = useApiError();
  const [provinces, setProvinces] = useState<Region[]>([]);
  const [children, setChildren] = useState<ReadonlyMap<string, Region[]>>(new Map());
  const [path, setPath] = useState<string[]>([]);

  const addChildren = useCallback((entries: [string, Region[]][]) => {
    setChildren((prev) => {
      const next = new Map(prev);
      for (const [code, items] of entries) next.set(code, items);
      return next;
    });
  }, []);

  useEffect(() => {
    let cancelled = false;
    fetchRegions()
      .then((items) => !cancelled && setProvinces(items))
      .catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
  }, [showError]);

  // Make an externally set value (e.g. the parent's region) visible: load its ancestors' children.
  useEffect(() => {
    if (!value) {
      setPath([]);
      return;
    }
    if (path[path.length - 1] === value) return;
    let cancelled = false;
    (async () => {
      const regions = await fetchRegionPath(value);
      const parents = regions.slice(0, -1);
      const lists = await Promise.all(parents.map((r) => fetchRegions(r.code)));
      if (cancelled) return;
      addChildren(parents.map((r, i) => [r.code, lists[i] ?? []]));
      setPath(regions.map((r) => r.code));
      const self = regions[regions.length - 1];
      if (self) onSelectRegion?.(self);
    })().catch((err: unknown) => !cancelled && showError(err));
    return () => {
      cancelled = true;
    };
    // Only react to value changes; the other inputs are stable or intentionally ignored.
  }, [value]);

  const options = useMemo(() => {
    const limit = maxLevel === 'any' ? 3 : DEPTH[maxLevel];
    const build = (regions: Region[], depth: number): RegionOption[] =>
      regions.map((r) => {
        const isLeaf = !r.hasChildren || depth >= limit;
        const loaded = children.get(r.code);
        return {
          value: r.code,
          label: r.name,
          isLeaf,
          ...(loaded && !isLeaf ? { children: build(loaded, depth + 1) } : {}),
        };
      });
    return build(provinces, 1);
  }, [provinces, children, maxLevel]);

  const loadData = useCallback(
    (selected: RegionOption[]) => {
      const target = selected[selected.length - 1];
      if (!target || children.has(target.value)) return;
      fetchRegions(target.value)
        .then((items) => addChildren([[target.value, items]]))
        .catch(showError);
    },
    [children, addChildren, showError],
  );

  const findRegion = (code: string): Region | undefined => {
    const inProvinces = provinces.find((r) => r.code === code);
    if (inProvinces) return inProvinces;
    for (const list of children.values()) {
      const found = list.find((r) => r.code === code);
      if (found) return found;
    }
    return undefined;
  };

  return (
    <Cascader<RegionOption>
      id={id}
      data-testid={rest['data-testid']}
      options={options}
      loadData={loadData}
      value={path}
      disabled={disabled}
      changeOnSelect={maxLevel === 'any'}
      placeholder={t('orgs.regionPlaceholder')}
      onChange={(codes) => {
        const list = (codes ?? []).map(String);
        setPath(list);
        const last = list[list.length - 1];
        onChange?.(last);
        onSelectRegion?.(last ? (findRegion(last) ?? null) : null);
      }}
      style={{ width: '100%' }}
    />
  );
}
