// Every kind of background task the server runs: the one list the x:Task union and the
// task manager are built from. Each area adds its kinds here (import + entry).

import { cleanupTasksKind } from './history';
import type { TaskKind } from './kind';
import { recomputeQuotasKind } from './quotas';
import { REINDEX_KINDS } from './reindex';
import { REPOSITORY_KINDS } from './repositories';
import { QUEUE_KINDS } from './queue';

export const TASK_KINDS: TaskKind[] = [cleanupTasksKind, recomputeQuotasKind, ...REINDEX_KINDS, ...REPOSITORY_KINDS, ...QUEUE_KINDS];
