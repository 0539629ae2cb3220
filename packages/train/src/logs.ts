/** Numbers by name: `loss`, each metric, `val_loss` and `val_<metric>` after validation, `lr`. */
export type Logs = Record<string, number>;

/** One row of the history `fit` returns: the epoch (1-based) and its logs. */
export interface EpochLogs extends Logs {
  readonly epoch: number;
}
