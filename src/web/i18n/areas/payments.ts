// Messages of payment cycles (资金发放), prefix 'pay.'.
// zh-CN first (the reference), English with exactly the same keys.

export const zh = {
  'pay.title': '资金发放',
};

export const en: Record<keyof typeof zh, string> = {
  'pay.title': 'Payment cycles',
};
