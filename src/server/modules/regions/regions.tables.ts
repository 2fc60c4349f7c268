export type RegionLevel = 'province' | 'city' | 'county'

export interface RegionTable {
  code: string
  name: string
  level: RegionLevel
  parent_code: string | null
  province_code: string
}
