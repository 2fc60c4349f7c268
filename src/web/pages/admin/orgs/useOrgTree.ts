import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../../api/client';
import { unwrap } from '../../../api/errors';
import type { Org } from '../../../api/types';
import { useApiError } from '../../../api/useApiError';
import { fetchOrgChildren } from '../../../lib/orgsApi';

export interface OrgTreeModel {
  roots: Org[] | null;
  /** Loaded children per parent id. */
  children: ReadonlyMap<string, Org[]>;
  find: (id: string) => Org | undefined;
  loadChildren: (parentId: string) => Promise<void>;
  /** Replace an org everywhere it appears (after an edit). */
  update: (org: Org) => void;
  /** Re-read a parent and its children (after a child was created). */
  refreshParent: (parentId: string) => Promise<void>;
  reload: () => void;
  loading: boolean;
}

/** Lazily loaded organisation tree state: roots in scope + children per expanded node. */
export function useOrgTree(): OrgTreeModel {
  const { showError } = useApiError();
  const [roots, setRoots] = useState<Org[] | null>(null);
  const [children, setChildren] = useState<ReadonlyMap<string, Org[]>>(new Map());
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    fetchOrgChildren()
      .then((items) => {
        if (cancelled) return;
        setRoots(items);
        setChildren(new Map());
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setRoots([]);
        showError(err);
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [tick, showError]);

  const byId = useMemo(() => {
    const map = new Map<string, Org>();
    for (const o of roots ?? []) map.set(o.id, o);
    for (const list of children.values()) for (const o of list) map.set(o.id, o);
    return map;
  }, [roots, children]);

  const find = useCallback((id: string) => byId.get(id), [byId]);

  const loadChildren = useCallback(
    async (parentId: string) => {
      try {
        const items = await fetchOrgChildren(parentId);
        setChildren((prev) => new Map(prev).set(parentId, items));
      } catch (err) {
        showError(err);
      }
    },
    [showError],
  );

  const update = useCallback((org: Org) => {
    const swap = (list: Org[]) => list.map((o) => (o.id === org.id ? org : o));
    setRoots((prev) => (prev ? swap(prev) : prev));
    setChildren((prev) => {
      const next = new Map<string, Org[]>();
      for (const [k, list] of prev) next.set(k, swap(list));
      return next;
    });
  }, []);

  const refreshParent = useCallback(
    async (parentId: string) => {
      try {
        const [parent, items] = await Promise.all([
          unwrap(api.GET('/api/orgs/{id}', { params: { path: { id: parentId } } })),
          fetchOrgChildren(parentId),
        ]);
        update(parent);
        setChildren((prev) => new Map(prev).set(parentId, items));
      } catch (err) {
        showError(err);
      }
    },
    [update, showError],
  );

  const reload = useCallback(() => setTick((n) => n + 1), []);

  return { roots, children, find, loadChildren, update, refreshParent, reload, loading };
}
