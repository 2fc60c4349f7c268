import { Fragment } from 'react';
import { Typography } from 'antd';
import type { Translate } from '../../../i18n/context';
import type { MessageKey } from '../../../i18n/zh-CN';

export type StepLevel = 'county' | 'city' | 'province' | 'national';
export const STEP_LEVELS: readonly StepLevel[] = ['county', 'city', 'province', 'national'];

type Has = (key: string) => key is MessageKey;

/** 困难职工建档审批 for 'household.file'; the raw code for a kind the dictionary does not know yet. */
export function kindLabel(t: Translate, has: Has, kind: string): string {
  const key = `pol.kind.${kind}`;
  return has(key) ? t(key) : kind;
}

/** 县级审核 for every step but the last, which approves: 县级审核 → 市级审批. */
export function stepLabel(t: Translate, level: StepLevel, index: number, count: number): string {
  return t(index === count - 1 ? 'pol.step.approve' : 'pol.step.review', { level: t(`appr.level.${level}`) });
}

/** The steps in order, joined by arrows. */
export function StepChain({ steps, t, strong }: { steps: readonly { level: StepLevel }[]; t: Translate; strong?: boolean }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {steps.map((s, i) => (
        <Fragment key={i}>
          {i > 0 ? (
            <Typography.Text type="secondary" style={{ margin: '0 6px' }}>
              →
            </Typography.Text>
          ) : null}
          <Typography.Text strong={strong}>{stepLabel(t, s.level, i, steps.length)}</Typography.Text>
        </Fragment>
      ))}
    </span>
  );
}

/** 410000 → 41, 410100 → 4101, 410102 → 410102 (as the server reads a region code as a prefix). */
export function prefixOf(regionCode: string): string {
  if (regionCode.endsWith('0000')) return regionCode.slice(0, 2);
  if (regionCode.endsWith('00')) return regionCode.slice(0, 4);
  return regionCode;
}
