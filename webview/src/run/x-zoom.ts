// The x range all charts show, shared so that zooming one chart to some steps shows every chart's
// figures for those steps. Unset: the charts follow the whole run as it grows.

import type { XRange } from './display-data';

export class XZoom {
  private current: XRange | undefined;

  constructor(private readonly onChange: () => void) {}

  get range(): XRange | undefined {
    return this.current;
  }

  set(range: XRange | undefined): void {
    if (range && !(range.max > range.min)) return;
    this.current = range;
    this.onChange();
  }
}
