// ApexCharts 4.7.0 (MIT, the last MIT release) is loaded on first use only, so pages without charts do not pay for it.
import { loadScript } from '/js/lazy.js';

const ensureApexCharts = () => loadScript('/lib/apexcharts/apexcharts.min.js', () => !!window.ApexCharts);

export async function create(element, series, options) {
  await ensureApexCharts();
  const chart = new ApexCharts(element, {
    chart: {
      type: 'line', height: options.height, animations: { enabled: false },
      zoom: { enabled: true, type: 'x', autoScaleYaxis: true },
      toolbar: { show: true, tools: { download: true, zoom: true, zoomin: true, zoomout: true, pan: true, reset: true } },
    },
    series,
    title: { text: options.title, style: { fontSize: '14px' } },
    stroke: { width: 1.5 },
    xaxis: { type: 'datetime', labels: { datetimeUTC: true } },
    yaxis: { title: { text: options.unit }, labels: { formatter: (v) => (v == null ? '' : Number(v).toFixed(1)) } },
    tooltip: { x: { format: 'yyyy-MM-dd HH:mm' } },
    dataLabels: { enabled: false },
    colors: ['#1f5f8b', '#2e7d4f', '#b26a00'],
  });
  chart.render();
  return chart;
}

export function update(chart, series) {
  chart.updateSeries(series, false);
}

export function dispose(chart) {
  chart.destroy();
}
