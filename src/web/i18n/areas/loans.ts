// Messages of the loans pages: zh-CN first (the reference), English with exactly the same keys.

export const zh = {}

export const en: Record<keyof typeof zh, string> = {}
