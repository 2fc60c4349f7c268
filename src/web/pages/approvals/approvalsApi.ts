import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import type { Translate } from '../../i18n/context';
import type { MessageKey } from '../../i18n/zh-CN';

export type ApprovalDetail = ResponseOf<'/api/approvals/{id}', 'get'>;
export type PendingApproval = ResponseOf<'/api/approvals/pending', 'get'>['items'][number];
export type Decision = 'approve' | 'return' | 'reject';

export function decide(id: string, body: { decision: Decision; opinion?: string | null; version: number }): Promise<ApprovalDetail> {
  return unwrap(api.POST('/api/approvals/{id}/decide', { params: { path: { id } }, body }));
}

export function withdrawApproval(id: string, version: number): Promise<ApprovalDetail> {
  return unwrap(api.POST('/api/approvals/{id}/withdraw', { params: { path: { id } }, body: { version } }));
}

/** A label by key with the raw code when the dictionary has none (a kind added later). */
export function labelOr(t: Translate, has: (key: string) => key is MessageKey, key: string, fallback: string): string {
  return has(key) ? t(key) : fallback;
}

/** Where the subject of an approval is read and corrected, by kind; null when it has no page yet. */
export function subjectPath(kind: string, subjectId: string): string | null {
  if (kind === 'household.file') return `/households/${encodeURIComponent(subjectId)}`;
  if (kind === 'payment.cycle') return `/payments/${encodeURIComponent(subjectId)}`;
  return null;
}
