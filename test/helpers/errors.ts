/** The human message of a z.errors value (Error and ThrottledError carry a JSON string). */
export const messageOf = (error: unknown): string => {
  const raw = (error as Error).message;
  try {
    const parsed = JSON.parse(raw) as { message?: string };
    return typeof parsed.message === 'string' ? parsed.message : raw;
  } catch {
    return raw;
  }
};

/** Runs a promise that must reject, and returns what it rejected with. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
};
