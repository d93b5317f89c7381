/** Local fake servers for tests, the demo and benchmarks: Influitive and a Tremendous-like vendor. */
export type {
  Fault,
  FaultKind,
  FaultTarget,
  HttpSandbox,
  HttpSandboxOptions,
  RequestLogEntry,
} from './http';
export * from './influitive';
export * from './vendor';
