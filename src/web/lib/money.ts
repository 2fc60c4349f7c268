/** Amounts typed in yuan, sent and stored as whole fen (分) in decimal strings — never floats. */

/** Yuan with at most two decimals, e.g. '950', '950.5', '0.05'. */
export const YUAN_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

/** '950.5' → '95050', '0.05' → '5', '12' → '1200' (string arithmetic only); null when malformed. */
export function yuanToFen(yuan: string): string | null {
  const s = yuan.trim();
  if (!YUAN_PATTERN.test(s)) return null;
  const [whole = '0', frac = ''] = s.split('.');
  return `${whole}${frac.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
}

/** '95050' → '950.50', '5' → '0.05', with thousands separators: '1234500' → '12,345.00'. */
export function fenToYuan(fen: string): string {
  if (!/^-?\d+$/.test(fen)) return fen;
  const negative = fen.startsWith('-');
  const digits = (negative ? fen.slice(1) : fen).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/^0+(?=\d)/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${digits.slice(-2)}`;
}
