// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { testSchema } from '../schema/testSchema';
import { renderWithConsole } from './render';

afterEach(cleanup);

it('renders inside the console providers and answers JMAP calls', async () => {
  function Probe() {
    return <p>hello</p>;
  }
  const r = renderWithConsole(<Probe />, { doc: testSchema, url: '/a?b=1' });
  expect(await screen.findByText('hello')).toBeTruthy();
  expect(r.location()).toBe('/a?b=1');
});
