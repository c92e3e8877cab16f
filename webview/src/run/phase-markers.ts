// A dashed vertical line and the phase's name where each phase begins, drawn on the chart canvas
// after uPlot's own drawing (its `draw` hook), so the lines move with zoom and pan.

import uPlot from 'uplot';
import type { PhaseMarker } from './run-data';

export function drawPhaseMarkers(plot: uPlot, markers: readonly PhaseMarker[], color: string, fontFamily: string): void {
  // Without data the x scale is not set, and there is nothing to mark.
  if (markers.length === 0 || plot.data[0].length === 0) return;
  const pixel = uPlot.pxRatio;
  const { left, top, width, height } = plot.bbox;
  const context = plot.ctx;
  context.save();
  context.beginPath();
  context.rect(left, top, width, height);
  context.clip();
  context.strokeStyle = color;
  context.fillStyle = color;
  context.lineWidth = pixel;
  context.setLineDash([4 * pixel, 4 * pixel]);
  context.font = `${11 * pixel}px ${fontFamily}`;
  // uPlot leaves its axis-label alignment on the context.
  context.textAlign = 'left';
  context.textBaseline = 'top';
  let labelsEndAt = -Infinity;
  for (const marker of markers) {
    const x = Math.round(plot.valToPos(marker.globalStep, 'x', true));
    if (x < left || x > left + width) continue;
    context.strokeStyle = marker.color ?? color;
    context.fillStyle = marker.color ?? color;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, top + height);
    context.stroke();
    // Zoomed out over many short phases, the names would overprint each other: the lines suffice.
    const labelX = x + 4 * pixel;
    if (labelX < labelsEndAt) continue;
    context.fillText(marker.phase, labelX, top + 4 * pixel);
    labelsEndAt = labelX + context.measureText(marker.phase).width + 8 * pixel;
  }
  context.restore();
}
