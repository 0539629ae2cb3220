/** What the driver (run.ts) stores in results/runs.json and the report (report.ts) reads back. */
import type { CaseResult } from './common.js';

/** One child-process run of one case. */
export interface RunRecord {
  run: number;
  id: string;
  command: string;
  wallSeconds: number;
  loadavgBefore: number;
  result: CaseResult;
}

/** The machine and the command a bench session ran with. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  command: string;
  runs: number;
  quick: boolean;
  loadavgStart: number[];
  loadavgEnd: number[];
}
