using CityTwin.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace CityTwin.Web.Components.Maps;

/// <summary>
/// Leaflet through a collocated ES module: created after the first render, updated only when its GeoJSON changes,
/// disposed with the component. No tile layer when <c>CityTwin:Map:TileUrl</c> is empty (offline): the features still show.
/// </summary>
public sealed partial class LeafletMap
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _map;
    private DotNetObjectReference<LeafletMap>? _self;
    private string? _shownGeoJson;
    private bool _ready;
    private bool _disposed;

    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IOptions<MapOptions> Options { get; set; } = default!;

    /// <summary>A GeoJSON geometry, Feature or FeatureCollection to show.</summary>
    [Parameter] public string? GeoJson { get; set; }

    [Parameter] public string Height { get; set; } = "260px";

    [Parameter] public string Label { get; set; } = "Map";

    /// <summary>When true, clicking the map places the point (or moves it) and raises <see cref="PointChanged"/>.</summary>
    [Parameter] public bool Editable { get; set; }

    [Parameter] public EventCallback<(double Longitude, double Latitude)> PointChanged { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Maps/LeafletMap.razor.js");
                _self = DotNetObjectReference.Create(this);
                var options = Options.Value;
                var map = await _module.InvokeAsync<IJSObjectReference>("create", _element, new
                {
                    tileUrl = string.IsNullOrEmpty(options.TileUrl) ? null : options.TileUrl,
                    attribution = options.TileAttribution,
                    editable = Editable,
                }, _self);
                if (_disposed)
                {
                    // The page went away while Leaflet loaded: drop the map we just made.
                    await _module.InvokeVoidAsync("dispose", map);
                    await map.DisposeAsync();
                    return;
                }

                _map = map;
                _ready = true;
                StateHasChanged();
            }

            if (_map is not null && !_disposed && GeoJson != _shownGeoJson)
            {
                _shownGeoJson = GeoJson;
                await _module!.InvokeVoidAsync("show", _map, GeoJson);
            }
        }
        catch (Exception ex) when (_disposed && ex is ObjectDisposedException or JSDisconnectedException or TaskCanceledException)
        {
            // navigated away mid-way: nothing left to draw on
        }
    }

    [JSInvokable]
    public Task OnMapClicked(double longitude, double latitude) =>
        Editable ? PointChanged.InvokeAsync((Math.Round(longitude, 7), Math.Round(latitude, 7))) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            if (_map is not null && _module is not null)
            {
                await _module.InvokeVoidAsync("dispose", _map);
                await _map.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone; the browser dropped the map with the page
        }

        _self?.Dispose();
    }
}
