import { describe, expect, it } from 'vitest';
import { stateChanges } from './push';

describe('stateChanges', () => {
  it('reads the new state of each data type of a StateChange event', () => {
    const event = 'event: state\ndata: {"@type":"StateChange","changed":{"a1":{"x:AllowedIp":"7","x:Role":"3"}}}';
    expect(stateChanges(event)).toEqual({ 'x:AllowedIp': '7', 'x:Role': '3' });
  });

  it('ignores pings, comments and bad data', () => {
    expect(stateChanges('event: ping\ndata: {"interval":60}')).toEqual({});
    expect(stateChanges(': connected')).toEqual({});
    expect(stateChanges('event: state\ndata: {not json')).toEqual({});
  });
});
