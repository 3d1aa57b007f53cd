// @vitest-environment jsdom
import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useFailure } from './useFailure';

const failed = (error: unknown) => ({ error, isError: true, isSuccess: false, isFetching: false });
const refetching = { error: null, isError: false, isSuccess: false, isFetching: true };
const succeeded = { error: null, isError: false, isSuccess: true, isFetching: false };

describe('useFailure', () => {
  it('keeps the last failure while the query tries again, and drops it once a fetch succeeds', () => {
    const down = new Error('down');
    const { result, rerender } = renderHook((q) => useFailure(q), { initialProps: failed(down) });
    expect(result.current).toEqual({ error: down, retrying: false });
    rerender(refetching);
    expect(result.current).toEqual({ error: down, retrying: true });
    const again = new Error('still down');
    rerender(failed(again));
    expect(result.current).toEqual({ error: again, retrying: false });
    rerender(succeeded);
    expect(result.current).toEqual({ error: undefined, retrying: false });
    rerender(refetching);
    expect(result.current).toEqual({ error: undefined, retrying: false });
  });
});
