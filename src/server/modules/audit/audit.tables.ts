export interface AuditHeadTable {
  province_code: string
  last_seq: bigint
  last_hash: string
}

export interface AuditLogTable {
  province_code: string
  seq: bigint
  at: Date
  actor_id: string | null
  actor_name: string
  action: string
  entity_type: string
  entity_id: string
  region_code: string | null
  before: unknown
  after: unknown
  request_id: string | null
  prev_hash: string
  hash: string
}
