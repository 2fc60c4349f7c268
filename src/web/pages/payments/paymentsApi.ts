import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import type { Job } from '../../lib/jobs';

// Calls of the cycle's later steps: export, bank results, reconciliation, close.

export type Reconciliation = ResponseOf<'/api/payments/cycles/{id}/reconciliation', 'get'>;

const path = (id: string) => ({ params: { path: { id } } });

/** Starts writing the bank file of an approved cycle; the cycle is 'exported' when the job succeeds. */
export async function startExport(id: string): Promise<Job> {
  return (await unwrap(api.POST('/api/payments/cycles/{id}/export', path(id)))).job;
}

/** Uploads the bank's results (.xlsx or .csv) of an exported cycle; a job posts them. */
export async function uploadResults(id: string, file: File): Promise<Job> {
  const form = new FormData();
  form.append('file', file, file.name);
  return (await unwrap(api.POST('/api/payments/cycles/{id}/results', { ...path(id), body: form as never, bodySerializer: (b: unknown) => b as FormData }))).job;
}

export function reconciliation(id: string): Promise<Reconciliation> {
  return unwrap(api.GET('/api/payments/cycles/{id}/reconciliation', path(id)));
}

export function closeCycle(id: string) {
  return unwrap(api.POST('/api/payments/cycles/{id}/close', path(id)));
}

/** Where the browser downloads the bank file (a plain GET with the session cookie; the server audits it). */
export const bankFileUrl = (id: string, format: 'xlsx' | 'csv') => `/api/payments/cycles/${encodeURIComponent(id)}/bank-file?format=${format}`;
