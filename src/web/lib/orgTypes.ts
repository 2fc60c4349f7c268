/** Own unions (not derived from the API) so the UI stays typed even if the schema says `string`. */
export type OrgLevel = 'national' | 'province' | 'city' | 'county' | 'grassroots';
export type RegionLevel = 'province' | 'city' | 'county';
export const ORG_LEVELS: readonly OrgLevel[] = ['national', 'province', 'city', 'county', 'grassroots'];

export function isOrgLevel(value: string): value is OrgLevel {
  return (ORG_LEVELS as readonly string[]).includes(value);
}

export function isRegionLevel(value: string): value is RegionLevel {
  return value === 'province' || value === 'city' || value === 'county';
}

/** Org type codes in the order offered when creating an organisation. */
export const ORG_TYPES = [
  'ministry',
  'province_bureau',
  'province_union',
  'city_bureau',
  'city_union',
  'county_bureau',
  'county_union',
  'grassroots_union',
  'assistance_centre',
  'assistance_station',
  'reemployment_centre',
] as const;

export type OrgType = (typeof ORG_TYPES)[number];

/** Fixed level per type; `null` means "taken from the chosen region". */
const FIXED_LEVEL: Record<OrgType, OrgLevel | null> = {
  ministry: 'national',
  province_bureau: 'province',
  province_union: 'province',
  city_bureau: 'city',
  city_union: 'city',
  county_bureau: 'county',
  county_union: 'county',
  grassroots_union: 'grassroots',
  assistance_centre: null,
  assistance_station: null,
  reemployment_centre: null,
};

export function isOrgType(value: string): value is OrgType {
  return (ORG_TYPES as readonly string[]).includes(value);
}

/**
 * Level of an organisation of `type` located in a region of `regionLevel`
 * (`null` for national / no region). Returns null while it cannot be known.
 */
export function levelFor(type: string | undefined, regionLevel: string | null | undefined): OrgLevel | null {
  if (!type || !isOrgType(type)) return null;
  const fixed = FIXED_LEVEL[type];
  if (fixed) return fixed;
  if (regionLevel === undefined) return null;
  if (regionLevel === null) return 'national';
  return isRegionLevel(regionLevel) ? regionLevel : null;
}

/**
 * Region level an org of `type` must sit in: `null` for national bodies (no region),
 * 'any' for centres and stations (their level follows the region).
 * Grassroots unions sit in a county, or in a city that has no counties (e.g. 东莞).
 */
export function regionDepthFor(type: string | undefined): RegionLevel | null | 'any' {
  if (!type || !isOrgType(type)) return 'any';
  const fixed = FIXED_LEVEL[type];
  if (fixed === 'national') return null;
  if (fixed === null) return 'any';
  if (fixed === 'grassroots') return 'county';
  return fixed;
}

/** Whether a region of this level fits the type (mirrors the server's rule). */
export function regionFits(type: string | undefined, region: { level: string; hasChildren: boolean }): boolean {
  const depth = regionDepthFor(type);
  if (depth === 'any') return true;
  if (depth === null) return false;
  if (type === 'grassroots_union') return region.level === 'county' || (region.level === 'city' && !region.hasChildren);
  return region.level === depth;
}

const RANK: Record<OrgLevel, number> = { national: 0, province: 1, city: 2, county: 3, grassroots: 4 };

/**
 * Types that may sit below a parent of the given level: fixed-level types must be
 * deeper; centres and stations may also sit beside the parent at its level.
 */
export function childTypesFor(parentLevel: string): OrgType[] {
  if (!isOrgLevel(parentLevel)) return [...ORG_TYPES];
  return ORG_TYPES.filter((type) => {
    const fixed = FIXED_LEVEL[type];
    if (fixed === null) return parentLevel !== 'grassroots';
    return RANK[fixed] > RANK[parentLevel];
  });
}
