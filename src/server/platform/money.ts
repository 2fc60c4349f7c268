/**
 * Fen as a yuan figure for text and files: 123456n → '1234.56', -5n → '-0.05'. Exact (bigint
 * arithmetic, never a float); no thousands separators, as bank files and messages want them.
 */
export function yuanText(fen: bigint): string {
  const sign = fen < 0n ? '-' : ''
  const abs = fen < 0n ? -fen : fen
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`
}
