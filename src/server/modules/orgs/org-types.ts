import { type Text, text } from '../../platform/errors.ts'
import type { RegionLevel } from '../regions/regions.tables.ts'
import type { OrgLevel } from './orgs.tables.ts'

/**
 * Organisation types of the union and labour-bureau system (domain.md §1, seed 001 §三(三)1).
 * A type either fixes the level, or (centres and stations) takes it from the region.
 */
export const orgTypes = {
  ministry: { level: 'national' },
  province_bureau: { level: 'province' },
  province_union: { level: 'province' },
  city_bureau: { level: 'city' },
  city_union: { level: 'city' },
  county_bureau: { level: 'county' },
  county_union: { level: 'county' },
  grassroots_union: { level: 'grassroots' },
  assistance_centre: { level: 'from-region' },
  assistance_station: { level: 'from-region' },
  reemployment_centre: { level: 'from-region' },
} as const satisfies Record<string, { level: OrgLevel | 'from-region' }>

export type OrgType = keyof typeof orgTypes

export function isOrgType(value: string): value is OrgType {
  return Object.hasOwn(orgTypes, value)
}

const regionLevelZh: Record<RegionLevel, string> = { province: '省级', city: '市级', county: '县级' }

const rank: Record<OrgLevel, number> = { national: 0, province: 1, city: 2, county: 3, grassroots: 4 }

/** The level an organisation of this type has in this region, or an explanation why it cannot sit there. */
export function levelFor(type: OrgType, regionLevel: RegionLevel | null, regionHasChildren: boolean): { level: OrgLevel } | { problem: Text } {
  const fixed = orgTypes[type].level
  if (fixed === 'national') return regionLevel === null ? { level: 'national' } : { problem: text('a national body has no region', '国家级组织不设行政区划') }
  if (regionLevel === null) return { problem: text('is required for this type', '此类组织必须指定行政区划') }
  if (fixed === 'from-region') return { level: regionLevel }
  if (fixed === 'grassroots') {
    // Cities without counties (东莞, 中山, 儋州, 嘉峪关) hold grassroots units directly.
    return regionLevel === 'county' || (regionLevel === 'city' && !regionHasChildren)
      ? { level: 'grassroots' }
      : { problem: text('a grassroots union sits in a county-level region', '基层工会须设在县级行政区划') }
  }
  return fixed === regionLevel ? { level: fixed } : { problem: text(`must be a ${fixed}-level region for this type`, `此类组织须设在${regionLevelZh[fixed]}行政区划`) }
}

/** A child sits below its parent; centres, stations and grassroots unions may sit beside it at the same level. */
export function canParent(parentLevel: OrgLevel, childLevel: OrgLevel, childType: OrgType): boolean {
  if (rank[childLevel] > rank[parentLevel]) return true
  return rank[childLevel] === rank[parentLevel] && orgTypes[childType].level === 'from-region'
}
