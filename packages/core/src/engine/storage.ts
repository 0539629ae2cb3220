import type { Backend, DataId } from '../backend/backend.js';

/** Data shared by a tensor and its views (reshape shares; every other op makes new data). Freed when the last holder lets go. */
export class Storage {
  refCount = 1;
  constructor(
    readonly backend: Backend,
    /** The backend's registered name (`Engine.deviceOf`). */
    readonly device: string,
    readonly dataId: DataId,
    readonly bytes: number,
  ) {}
}
