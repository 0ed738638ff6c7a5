using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace CityTwin.Web.Components.Charts;

/// <summary>One named series of (time, value) points.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(DateTimeOffset At, double Value)> Points);

/// <summary>A row of the data-table alternative: a label (e.g. a day) and one value per series.</summary>
public sealed record ChartTableRow(string Label, IReadOnlyList<double?> Values);

/// <summary>
/// Time-series line chart through a collocated ES module over ApexCharts; the data table below it carries the same
/// figures (aggregated as the caller chooses) for screen readers and for people who prefer numbers.
/// </summary>
public sealed partial class TimeSeriesChart
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _chart;
    private IReadOnlyList<ChartSeries>? _shown;
    private bool _ready;
    private bool _disposed;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public IReadOnlyList<ChartSeries> Series { get; set; } = [];
    [Parameter, EditorRequired] public string Title { get; set; } = "";
    [Parameter] public string Unit { get; set; } = "";
    [Parameter] public int Height { get; set; } = 280;
    [Parameter] public IReadOnlyList<ChartTableRow> TableRows { get; set; } = [];
    [Parameter] public string TableTimeHeader { get; set; } = "Day";

    /// <summary>Column headers of the table's value columns (default: one per series).</summary>
    [Parameter] public IReadOnlyList<string>? TableHeaders { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Charts/TimeSeriesChart.razor.js");
            }

            if (_module is not null && !_disposed && !ReferenceEquals(_shown, Series))
            {
                _shown = Series;
                var payload = Series.Select(s => new
                {
                    name = s.Name,
                    data = s.Points.Select(p => new object[] { p.At.ToUnixTimeMilliseconds(), Math.Round(p.Value, 3) }).ToArray(),
                }).ToArray();
                if (_chart is null)
                {
                    var chart = await _module.InvokeAsync<IJSObjectReference>("create", _element, payload, new { title = Title, unit = Unit, height = Height });
                    if (_disposed)
                    {
                        await _module.InvokeVoidAsync("dispose", chart);
                        await chart.DisposeAsync();
                        return;
                    }

                    _chart = chart;
                    _ready = true;
                    StateHasChanged();
                }
                else
                {
                    await _module.InvokeVoidAsync("update", _chart, payload);
                }
            }
        }
        catch (Exception ex) when (_disposed && ex is ObjectDisposedException or JSDisconnectedException or TaskCanceledException)
        {
            // navigated away mid-way
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            if (_chart is not null && _module is not null)
            {
                await _module.InvokeVoidAsync("dispose", _chart);
                await _chart.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone
        }
    }
}
