import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Region } from '../api/types';

/** Children of a region; omit `parent` for provinces. */
export async function fetchRegions(parent?: string): Promise<Region[]> {
  const res = await unwrap(api.GET('/api/regions', { params: { query: parent ? { parent } : {} } }));
  return res.items;
}

/** The region and its ancestors, from province down to the region itself. */
export async function fetchRegionPath(code: string): Promise<Region[]> {
  const res = await unwrap(api.GET('/api/regions/{code}', { params: { path: { code } } }));
  const { path, ...self } = res;
  const ancestors = path.filter((r) => r.code !== self.code);
  return [...ancestors, self];
}
