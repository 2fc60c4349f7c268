import type { HouseholdMemberInput } from '../../api/types';

export const RELATION_CODES: readonly HouseholdMemberInput['relation'][] = ['head', 'spouse', 'child', 'parent', 'other'];
export const HEALTH_CODES: readonly HouseholdMemberInput['health'][] = [
  'healthy',
  'chronic_illness',
  'serious_illness',
  'disability_1',
  'disability_2',
  'disability_3',
  'disability_4',
];
export const WORK_CODES: readonly HouseholdMemberInput['workStatus'][] = ['employed', 'laid_off', 'unemployed', 'retired', 'student', 'unable_to_work'];
