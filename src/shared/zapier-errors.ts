/** The human message of a z.errors value (Error and ThrottledError carry a JSON string). */
export const zapierErrorMessage = (error: unknown): string => {
  const raw = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(raw) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : raw;
  } catch {
    return raw;
  }
};
