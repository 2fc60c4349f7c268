import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { ResponseOf } from '../api/types';

export type Job = ResponseOf<'/api/jobs/{id}', 'get'>;

const POLL_MS = 800;
const finished = (job: Job) => job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';

/**
 * Starts long work on the server and follows its durable job until it ends, keeping the
 * latest state for a progress bar. The job goes on on the server if the page is left.
 */
export function useJob() {
  const [job, setJob] = useState<Job | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const follow = useCallback(async (start: () => Promise<Job>): Promise<Job> => {
    let current = await start();
    setJob(current);
    while (alive.current && !finished(current)) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      current = await unwrap(api.GET('/api/jobs/{id}', { params: { path: { id: current.id } } }));
      if (alive.current) setJob(current);
    }
    return current;
  }, []);

  return { job, follow, reset: () => setJob(null) };
}
