import { useCallback, useEffect, useRef, useState } from 'react';

export interface KeysetResult<T> {
  items: T[];
  nextCursor: string | null;
}

export interface KeysetPage<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  /** 1-based page number. */
  page: number;
  hasPrev: boolean;
  hasNext: boolean;
  next: () => void;
  prev: () => void;
  /** Re-fetch the current page (after an edit). */
  reload: () => void;
  /** Replace one loaded item in place (after a PATCH) without refetching. */
  replace: (match: (item: T) => boolean, item: T) => void;
}

/**
 * Keyset ("cursor") pagination with previous/next: remembers the cursor that
 * opened each page. Goes back to page 1 whenever `filterKey` changes.
 */
export function useKeysetPage<T>(fetchPage: (cursor: string | undefined) => Promise<KeysetResult<T>>, filterKey: string): KeysetPage<T> {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [result, setResult] = useState<KeysetResult<T>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  useEffect(() => {
    setCursors([undefined]);
  }, [filterKey]);

  const current = cursors[cursors.length - 1];
  const depth = cursors.length;

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    fetchRef
      .current(current)
      .then((res) => {
        if (!cancelled) setResult(res);
      })
      .catch((err: unknown) => {
        if (!cancelled) {
          setError(err);
          setResult({ items: [], nextCursor: null });
        }
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
    // depth distinguishes two pages opened with the same cursor value (page 1 after a reset)
  }, [current, depth, tick, filterKey]);

  const next = useCallback(() => {
    const cursor = result.nextCursor;
    if (cursor) setCursors((list) => [...list, cursor]);
  }, [result.nextCursor]);
  const prev = useCallback(() => setCursors((list) => (list.length > 1 ? list.slice(0, -1) : list)), []);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const replace = useCallback((match: (item: T) => boolean, item: T) => {
    setResult((r) => ({ ...r, items: r.items.map((x) => (match(x) ? item : x)) }));
  }, []);

  return {
    items: result.items,
    loading,
    error,
    page: cursors.length,
    hasPrev: cursors.length > 1,
    hasNext: Boolean(result.nextCursor),
    next,
    prev,
    reload,
    replace,
  };
}
