// The import's steps as state: read the file, look names up, check every row (the server's
// dry run when it has one, else the shared schema validation), then create in batches with
// progress and Cancel, and keep what happened to each row for the report.

import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { validationFailed } from '../../../shared/jmap/errors';
import type { Property } from '../../../shared/schema/types';
import { checkObject } from '../../../shared/schema/validate';
import { describeSetError } from '../../forms/setErrors';
import { useClient } from '../../jmap/context';
import { invalidateObject } from '../../jmap/mutations';
import type { SetError } from '../../jmap/types';
import { useConsole } from '../../schema/context';
import type { ResolvedView } from '../../schema/resolve';
import { planColumns, type Plan } from './columns';
import { CsvError, guessSeparator, parseCsv } from './csv';
import { createAll, dryRun, importLimits, lookUpNames, type Creatable, type ImportOutcome } from './requests';
import { MAX_ROWS, dataRecords, fileTooBig } from './limits';
import { buildRow, placeSetError, wantedNames, type Row } from './rows';

/** Why a file could not be read; `failed` carries the error's own words. */
export interface FileProblem {
  kind: 'empty' | 'noColumns' | 'unclosedQuote' | 'textAfterQuote' | 'tooBig' | 'tooManyRows' | 'failed';
  line?: number;
  /** tooManyRows: the rows of the file. */
  count?: number;
  detail?: string;
}

export type Phase =
  | { step: 'choose'; problem?: FileProblem }
  | { step: 'checking'; done?: number; total?: number }
  | { step: 'preview' }
  | { step: 'importing'; done: number; total: number; cancelling: boolean }
  | { step: 'report'; outcome: ImportOutcome };

export interface Checked {
  fileName: string;
  plan: Plan;
  header: string[];
  rows: Row[];
  /** Whether the server checked the rows (its dry run) or only the console did. */
  byServer: boolean;
}

const keyOf = (line: number) => `l${line}`;

export function useImport(view: ResolvedView, singularName: string) {
  const { doc } = useConsole();
  const client = useClient();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ step: 'choose' });
  const [checked, setChecked] = useState<Checked | null>(null);
  const cancel = useRef(false);

  const propertiesOf = (plan: Plan): Record<string, Property> => {
    const out: Record<string, Property> = {};
    for (const v of plan.variants) for (const [k, f] of v.fields) out[k] ??= f.property;
    return out;
  };
  const describe = (plan: Plan) => (e: SetError) => describeSetError(e, singularName, { doc, properties: propertiesOf(plan) });

  async function choose(file: File) {
    if (fileTooBig(file.size)) {
      setPhase({ step: 'choose', problem: { kind: 'tooBig' } });
      return;
    }
    setPhase({ step: 'checking' });
    try {
      const text = await file.text();
      const records = dataRecords(parseCsv(text, guessSeparator(text)));
      if (records.length > MAX_ROWS + 1) {
        setPhase({ step: 'choose', problem: { kind: 'tooManyRows', count: records.length - 1 } });
        return;
      }
      if (records.length < 2) {
        setPhase({ step: 'choose', problem: { kind: 'empty' } });
        return;
      }
      const [head, ...body] = records;
      const plan = planColumns(doc, view, head.fields);
      if (!plan.columns.some((c) => c.target)) {
        setPhase({ step: 'choose', problem: { kind: 'noColumns' } });
        return;
      }
      const found = await lookUpNames(client, doc, wantedNames(doc, plan, body));
      const rows = body.map((r) => buildRow(doc, plan, r, (objectName, name) => found.get(objectName)?.get(name.trim().toLowerCase())));
      const limits = await importLimits(client);
      const ready = rows.filter((r) => r.value);
      if (limits.validateOnly) {
        const total = ready.length;
        const verdicts = await dryRun(client, view.objectName, ready.map((r) => ({ key: keyOf(r.line), value: r.value! })), limits.maxObjectsInSet, (done) => setPhase({ step: 'checking', done, total }));
        for (const r of ready) {
          const e = verdicts.get(keyOf(r.line));
          if (e) r.errors.push(...placeSetError(plan, e, describe(plan)));
        }
      } else {
        for (const r of ready) {
          const check = checkObject(doc, view.objectName, r.value);
          if (check.errors.length) r.errors.push(...placeSetError(plan, validationFailed(check.errors), describe(plan)));
        }
      }
      for (const r of rows) if (r.errors.length) r.value = null;
      setChecked({ fileName: file.name, plan, header: head.fields, rows, byServer: limits.validateOnly });
      setPhase({ step: 'preview' });
    } catch (e) {
      if (e instanceof CsvError) setPhase({ step: 'choose', problem: { kind: e.reason, line: e.line } });
      else setPhase({ step: 'choose', problem: { kind: 'failed', detail: e instanceof Error ? e.message : String(e) } });
    }
  }

  async function start() {
    if (!checked) return;
    const rows: Creatable[] = checked.rows.filter((r) => r.value).map((r) => ({ key: keyOf(r.line), value: r.value! }));
    cancel.current = false;
    setPhase({ step: 'importing', done: 0, total: rows.length, cancelling: false });
    let outcome: ImportOutcome;
    try {
      const { maxObjectsInSet } = await importLimits(client);
      outcome = await createAll(client, view.objectName, rows, maxObjectsInSet, {
        cancelled: () => cancel.current,
        onBatch: (o) => setPhase((p) => (p.step === 'importing' ? { ...p, done: o.created.size + o.failed.size + o.unknown.size } : p)),
      });
    } catch (e) {
      // Before the first batch (the session could not be read): nothing was sent.
      outcome = { created: new Map(), failed: new Map(), unknown: new Set(), notTried: new Set(rows.map((r) => r.key)), stopped: { kind: 'failed', error: e } };
    }
    if (outcome.created.size > 0) void invalidateObject(queryClient, view.objectName);
    setPhase({ step: 'report', outcome });
  }

  function stop() {
    cancel.current = true;
    setPhase((p) => (p.step === 'importing' ? { ...p, cancelling: true } : p));
  }

  function reset() {
    setChecked(null);
    setPhase({ step: 'choose' });
  }

  return { phase, checked, choose, start, stop, reset, describe };
}

export { keyOf };
