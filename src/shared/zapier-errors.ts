/** What a z.errors value says: Error and ThrottledError carry message, code and status as JSON. */
export interface ZapierErrorParts {
  message: string;
  code?: string;
  status?: number;
}

export const zapierErrorParts = (error: unknown): ZapierErrorParts => {
  const raw = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(raw) as { message?: unknown; code?: unknown; status?: unknown };
    if (typeof parsed.message === 'string') {
      return {
        message: parsed.message,
        ...(typeof parsed.code === 'string' ? { code: parsed.code } : {}),
        ...(typeof parsed.status === 'number' ? { status: parsed.status } : {}),
      };
    }
  } catch {
    // Not JSON: a plain message.
  }
  return { message: raw };
};

/** The human message of a z.errors value. */
export const zapierErrorMessage = (error: unknown): string => zapierErrorParts(error).message;
