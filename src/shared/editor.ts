/**
 * What the Zap editor asks of a list: a few samples to show, or one page of a dropdown. Both wait
 * on the answer while the user watches, so they read one page per call instead of walking a list.
 */
import { Deadline } from './deadline';
import type { Bundle, ZObject } from './types';

/**
 * True when the editor is loading samples or filling a dropdown (and not seeding Zapier's
 * de-duplication, which wants every item there is).
 */
export const isEditorRead = (bundle: Bundle): boolean =>
  bundle.meta?.isPopulatingDedupe !== true &&
  (bundle.meta?.isLoadingSample === true || bundle.meta?.isFillingDynamicDropdown === true);

/** The dropdown page asked for (0 first): "Load more" asks for the next one. */
export const dropdownPage = (bundle: Bundle): number => {
  const page = Number(bundle.meta?.page ?? 0);
  return bundle.meta?.isFillingDynamicDropdown === true && Number.isInteger(page) && page > 0
    ? page
    : 0;
};

/** Past this page, a dropdown without a remembered link stops rather than walk the list. */
export const MAX_DROPDOWN_PAGES = 10;
/** A dropdown page waits on at most this much, well inside Zapier's 30 s. */
export const DROPDOWN_BUDGET_MS = 15_000;

export interface ListPage<T> {
  items: T[];
  /** The next page's link (`links.next`), or null at the end of the list. */
  next: string | null;
}

/** The link to page `page` of the list starting at `first`, as a cursor value. */
interface Remembered {
  first: string;
  page: number;
  next: string | null;
}

const isRemembered = (value: unknown, first: string, page: number): value is Remembered => {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.first === first &&
    record.page === page &&
    (record.next === null || typeof record.next === 'string')
  );
};

/**
 * The link to page `page` that the previous page's call kept in `z.cursor`, or undefined when
 * none was kept for this list and page (z.cursor is one value per Zap, shared by its dropdowns).
 */
const recall = async (z: ZObject, first: string, page: number): Promise<Remembered | undefined> => {
  try {
    const stored = JSON.parse((await z.cursor.get()) ?? 'null') as unknown;
    return isRemembered(stored, first, page) ? stored : undefined;
  } catch {
    return undefined;
  }
};

const remember = async (z: ZObject, link: Remembered): Promise<void> => {
  try {
    await z.cursor.set(JSON.stringify(link));
  } catch {
    // Without the cursor store, the next page is found by following the links again.
  }
};

/**
 * One page of a list that pages by `links.next`, as a dropdown with `canPaginate` asks for it:
 * page 0 is the first page; page N follows the link the call for page N-1 kept, so each "Load
 * more" costs one request. Without that link, it follows the links from the first page, up to
 * `MAX_DROPDOWN_PAGES`. A list without paging is one page, and every later page is empty.
 */
export const readDropdownPage = async <T>(
  z: ZObject,
  bundle: Bundle,
  first: string,
  read: (path: string, deadline: Deadline) => Promise<ListPage<T>>,
  deadline: Deadline = new Deadline(DROPDOWN_BUDGET_MS),
): Promise<T[]> => {
  const wanted = dropdownPage(bundle);
  const recalled = wanted > 0 ? await recall(z, first, wanted) : undefined;
  let at = recalled ? wanted : 0;
  let path: string | null = recalled ? recalled.next : first;
  if (!recalled && wanted > MAX_DROPDOWN_PAGES) return [];
  while (path !== null) {
    if (deadline.spent()) {
      throw new z.errors.Error(
        `Could not reach page ${wanted + 1} of this list in time. Search for the item, or enter its ID as a custom value.`,
        'dropdown_too_slow',
        504,
      );
    }
    const page = await read(path, deadline);
    if (at === wanted) {
      if (page.next !== null || wanted > 0) {
        await remember(z, { first, page: wanted + 1, next: page.next });
      }
      return page.items;
    }
    path = page.next;
    at += 1;
  }
  return [];
};
