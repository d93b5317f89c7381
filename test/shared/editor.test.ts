import { Deadline } from '../../src/shared/deadline';
import {
  DROPDOWN_BUDGET_MS,
  dropdownPage,
  isEditorRead,
  type ListPage,
  readDropdownPage,
} from '../../src/shared/editor';
import type { ZObject } from '../../src/shared/types';
import { makeBundle } from '../helpers/bundle';
import { FakeClock } from '../helpers/clock';

const withMeta = (meta: Record<string, unknown>) => {
  const base = makeBundle();
  return makeBundle({ meta: { ...base.meta, ...meta } });
};

/** Just enough of z for the reader: a cursor store that may fail, and z.errors.Error. */
const fakeZ = (cursor: { get: () => Promise<string>; set: (v: string) => Promise<null> }) =>
  ({
    cursor,
    errors: {
      Error: class extends Error {
        constructor(
          message: string,
          readonly code: string,
        ) {
          super(message);
        }
      },
    },
  }) as unknown as ZObject;

describe('isEditorRead', () => {
  it.each([
    [{ isLoadingSample: true }, true],
    [{ isFillingDynamicDropdown: true }, true],
    [{ isLoadingSample: true, isPopulatingDedupe: true }, false],
    [{}, false],
  ])('is %j → %s', (meta, expected) => {
    expect(isEditorRead(withMeta(meta))).toBe(expected);
  });

  it('is false when Zapier sends no meta at all', () => {
    expect(isEditorRead(makeBundle({ meta: undefined }))).toBe(false);
  });
});

describe('dropdownPage', () => {
  it.each([
    [{ isFillingDynamicDropdown: true, page: 2 }, 2],
    [{ isFillingDynamicDropdown: true, page: -1 }, 0],
    [{ isFillingDynamicDropdown: true, page: 1.5 }, 0],
    [{ isFillingDynamicDropdown: false, page: 2 }, 0],
  ])('is %j → %s', (meta, expected) => {
    expect(dropdownPage(withMeta(meta))).toBe(expected);
  });
});

describe('readDropdownPage', () => {
  const pages: Record<string, ListPage<number>> = {
    '/list': { items: [1], next: '/list?p=2' },
    '/list?p=2': { items: [2], next: null },
  };
  const read = async (path: string) => pages[path] ?? { items: [], next: null };

  it('follows the links when the cursor store fails, and still answers', async () => {
    const z = fakeZ({
      get: () => Promise.reject(new Error('rpc is not available')),
      set: () => Promise.reject(new Error('rpc is not available')),
    });
    const bundle = withMeta({ isFillingDynamicDropdown: true, page: 1 });
    await expect(readDropdownPage(z, bundle, '/list', read)).resolves.toEqual([2]);
  });

  it('ignores a kept cursor that is not its own JSON', async () => {
    const z = fakeZ({ get: async () => 'not json', set: async () => null });
    const bundle = withMeta({ isFillingDynamicDropdown: true, page: 1 });
    await expect(readDropdownPage(z, bundle, '/list', read)).resolves.toEqual([2]);
  });

  it('stops with a clear error when the run is out of time before the page is reached', async () => {
    const clock = new FakeClock();
    const deadline = new Deadline(DROPDOWN_BUDGET_MS, clock);
    const z = fakeZ({ get: async () => 'null', set: async () => null });
    const bundle = withMeta({ isFillingDynamicDropdown: true, page: 1 });
    const slowRead = async (path: string) => {
      clock.advance(DROPDOWN_BUDGET_MS);
      return read(path);
    };
    await expect(readDropdownPage(z, bundle, '/list', slowRead, deadline)).rejects.toThrow(
      /Could not reach page 2 of this list in time\. Search for the item, or enter its ID/,
    );
  });
});
