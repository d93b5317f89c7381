/**
 * The doctor's credentials: from the environment, else from `.env`. The `authData_…` names that
 * `zapier-platform invoke` reads from `.env` are accepted too, so one file serves both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseEnv } from 'node:util';

/** Settings the app itself reads from `process.env`; a value in `.env` fills them in when unset. */
const APP_SETTINGS = ['INFLUITIVE_API_URL', 'INFLUITIVE_TIMEOUT_MS'] as const;

const TOKEN_NAMES = ['INFLUITIVE_API_TOKEN', 'authData_api_token'] as const;
const ORG_NAMES = ['INFLUITIVE_ORG_ID', 'authData_org_id'] as const;

export interface Setting {
  value: string;
  /** e.g. `INFLUITIVE_ORG_ID from .env`, for the report. */
  from: string;
}

export interface DoctorConfig {
  token: Setting | undefined;
  orgId: Setting | undefined;
  /** The `.env` file read, when there was one. */
  envFile: string | undefined;
}

type Env = Record<string, string | undefined>;

const present = (value: string | undefined): value is string =>
  value !== undefined && value.trim() !== '';

const pick = (names: readonly string[], env: Env, file: Env, fileName: string) => {
  for (const [source, where] of [
    [env, 'the environment'],
    [file, fileName],
  ] as const) {
    const name = names.find((candidate) => present(source[candidate]));
    if (name !== undefined)
      return { value: (source[name] as string).trim(), from: `${name} from ${where}` };
  }
  return undefined;
};

/**
 * Reads `envFile` if it exists and returns the credentials, the environment winning over the file.
 * The app's own settings found only in the file are copied into `env` (as `node --env-file` does),
 * because the client reads them from there.
 */
export const loadConfig = (env: Env, envFile: string): DoctorConfig => {
  const exists = existsSync(envFile);
  const file: Env = exists ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  for (const name of APP_SETTINGS) {
    const value = file[name];
    if (!present(env[name]) && present(value)) env[name] = value.trim();
  }
  return {
    token: pick(TOKEN_NAMES, env, file, basename(envFile)),
    orgId: pick(ORG_NAMES, env, file, basename(envFile)),
    envFile: exists ? envFile : undefined,
  };
};
