const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Row ids are uuids; anything else names no record (and must never reach SQL as a uuid cast). */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}
