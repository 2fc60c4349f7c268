// Messages of hardship funds and the ledger (资金管理), prefix 'fund.'.
// zh-CN first (the reference), English with exactly the same keys.

export const zh = {
  'fund.title': '资金管理',
};

export const en: Record<keyof typeof zh, string> = {
  'fund.title': 'Funds',
};
