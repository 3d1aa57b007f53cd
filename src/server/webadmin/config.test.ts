// WEBADMIN_PORT: the WebAdmin listener is on port 8000 unless told otherwise, and off with 0 or "off".

import { expect, it } from 'vitest';
import { configFromEnv } from '../config';

it('defaults to 8000, takes a port, and is off with 0 or "off"', () => {
  expect(configFromEnv({}).webadminPort).toBe(8000);
  expect(configFromEnv({ WEBADMIN_PORT: '8123' }).webadminPort).toBe(8123);
  expect(configFromEnv({ WEBADMIN_PORT: '0' }).webadminPort).toBeUndefined();
  expect(configFromEnv({ WEBADMIN_PORT: 'off' }).webadminPort).toBeUndefined();
  expect(configFromEnv({ WEBADMIN_PORT: 'OFF' }).webadminPort).toBeUndefined();
});

it('refuses anything else with a clear message', () => {
  for (const bad of ['70000', '-1', 'eighty', '80.5']) {
    expect(() => configFromEnv({ WEBADMIN_PORT: bad })).toThrow(/WEBADMIN_PORT must be a port number or "off"/);
  }
});
