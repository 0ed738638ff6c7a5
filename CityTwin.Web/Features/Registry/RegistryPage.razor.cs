using CityTwin.Web.Features.Assets;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CityTwin.Web.Features.Registry;

/// <summary>
/// The registry list: filters live in the URL (bookmarkable), the grid pages, sorts and counts on the server, and the
/// column chooser hides or shows columns.
/// </summary>
public sealed partial class RegistryPage
{
    internal static readonly IReadOnlyDictionary<string, string> ColumnLabels = new Dictionary<string, string>
    {
        ["name"] = "Name", ["type"] = "Type", ["status"] = "Status", ["condition"] = "Condition", ["district"] = "District",
        ["installedOn"] = "Installed", ["inspectedOn"] = "Inspected", ["department"] = "Department", ["address"] = "Address",
        ["replacementCost"] = "Replacement cost", ["publication"] = "Publication",
    };

    private readonly Dictionary<string, bool> _columns = new()
    {
        ["name"] = true, ["type"] = true, ["status"] = true, ["condition"] = true, ["district"] = true, ["installedOn"] = true,
        ["inspectedOn"] = true, ["department"] = false, ["address"] = false, ["replacementCost"] = false, ["publication"] = false,
    };

    private MudDataGrid<RegistryRow>? _grid;
    private RegistryFilter _filter = RegistryFilter.Empty;
    private string? _text;
    private int _total;
    private IReadOnlyList<string> _notApplied = [];
    private IReadOnlyList<(string Code, string Name)> _districts = [];

    [Inject] private RegistryQueryService Registry { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "type")] public string? Type { get; set; }
    [SupplyParameterFromQuery(Name = "district")] public string? District { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "cmin")] public string? ConditionMin { get; set; }
    [SupplyParameterFromQuery(Name = "cmax")] public string? ConditionMax { get; set; }
    [SupplyParameterFromQuery(Name = "yfrom")] public string? InstalledFrom { get; set; }
    [SupplyParameterFromQuery(Name = "yto")] public string? InstalledTo { get; set; }
    [SupplyParameterFromQuery(Name = "pub")] public string? Publication { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Text { get; set; }
    [SupplyParameterFromQuery(Name = "decommissioned")] public string? Decommissioned { get; set; }
    [SupplyParameterFromQuery(Name = "asof")] public string? AsOf { get; set; }
    [SupplyParameterFromQuery(Name = "issue")] public string? Issue { get; set; }

    protected override async Task OnInitializedAsync() => _districts = await Registry.DistrictsAsync();

    protected override async Task OnParametersSetAsync()
    {
        var query = new Dictionary<string, string?>
        {
            ["type"] = Type, ["district"] = District, ["status"] = Status, ["cmin"] = ConditionMin, ["cmax"] = ConditionMax,
            ["yfrom"] = InstalledFrom, ["yto"] = InstalledTo, ["pub"] = Publication, ["q"] = Text, ["decommissioned"] = Decommissioned, ["asof"] = AsOf, ["issue"] = Issue,
        };
        var filter = RegistryFilter.FromQuery(k => query.GetValueOrDefault(k));
        if (filter != _filter)
        {
            _filter = filter;
            _text = filter.Text;
            if (_grid is not null)
            {
                await _grid.ReloadServerData();
            }
        }
    }

    /// <summary>Virtualised rows: the grid asks for the slice in view as the curator scrolls; the circuit never holds the whole set.</summary>
    private async Task<GridData<RegistryRow>> LoadAsync(GridStateVirtualize<RegistryRow> state, CancellationToken ct)
    {
        var sortDefinition = state.SortDefinitions.FirstOrDefault();
        var sort = sortDefinition is null ? new RegistrySort() : new RegistrySort(SortColumn(sortDefinition.SortBy), sortDefinition.Descending);
        var result = await Registry.QueryAsync(_filter, sort, state.StartIndex, Math.Max(1, state.Count), ct);
        _total = result.Total;
        _notApplied = result.NotApplied;
        StateHasChanged();
        return new GridData<RegistryRow> { Items = result.Rows, TotalItems = result.Total };
    }

    private static string SortColumn(string? sortBy) => sortBy switch
    {
        nameof(RegistryRow.Type) => "type",
        nameof(RegistryRow.Status) => "status",
        nameof(RegistryRow.Condition) => "condition",
        nameof(RegistryRow.District) => "district",
        nameof(RegistryRow.InstalledOn) => "installedOn",
        nameof(RegistryRow.InspectedOn) => "inspectedOn",
        nameof(RegistryRow.ReplacementCost) => "replacementCost",
        _ => "name",
    };

    private Task SetAsync(RegistryFilter filter)
    {
        Navigation.NavigateTo(filter.ToUrl(), replace: false);
        return Task.CompletedTask;
    }

    private Task ApplyTextAsync() => SetAsync(_filter with { Text = string.IsNullOrWhiteSpace(_text) ? null : _text.Trim() });

    private Task OnSearchKeyUp(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs e) => e.Key == "Enter" ? ApplyTextAsync() : Task.CompletedTask;

    /// <summary>The export endpoint for the current selection (the filter, without the "as of" day).</summary>
    private string ExportUrl(string format) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString((_filter with { AsOf = null }).ToUrl("/api/exports/assets"), "format", format);

    private void ToggleColumn(string key) => _columns[key] = !_columns[key];

    private string DetailUrl(RegistryRow row) =>
        $"/staff/registry/asset/{Uri.EscapeDataString(row.Id)}" + (_filter.AsOf is { } d ? $"?asof={d:yyyy-MM-dd}" : "");

    private async Task OpenBulkEdit()
    {
        var parameters = new DialogParameters<BulkEditDialog> { { d => d.Filter, _filter }, { d => d.Total, _total } };
        var dialog = await Dialogs.ShowAsync<BulkEditDialog>("Bulk edit", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is { Canceled: false } && _grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }
}
