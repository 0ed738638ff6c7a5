using System.Globalization;
using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Web.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace CityTwin.Web.Features.Registry;

/// <summary>One asset: grouped attributes, relationships both ways, provenance, history and data quality; decommission, restore, delete.</summary>
public sealed partial class AssetDetailPage
{
    private AssetDetail? _detail;
    private IReadOnlyList<AssetSeries>? _series;
    private bool _notFound;
    private bool _citizenView;
    private DateOnly _today;
    private List<BreadcrumbItem> _crumbs = [];

    [Parameter] public string Id { get; set; } = "";

    [SupplyParameterFromQuery(Name = "asof")] public string? AsOf { get; set; }

    [Inject] private AssetDetailService Details { get; set; } = default!;
    [Inject] private ObservationQueryService Observations { get; set; } = default!;
    [Inject] private RegistryCommands Commands { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    private DateOnly? AsOfDay => DateOnly.TryParseExact(AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private string EditUrl => $"/staff/registry/asset/{Uri.EscapeDataString(Id)}/edit";

    protected override async Task OnParametersSetAsync()
    {
        _today = Commands.Today;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _detail = await Details.GetAsync(Id, AsOfDay);
        _notFound = _detail is null;
        _series = _detail is null || AsOfDay is not null ? null : await Observations.ForAssetAsync(Id);
        _crumbs = [new("Registry", "/staff/registry"), new(_detail?.Asset.Name ?? Id, null, disabled: true)];
    }

    /// <summary>Whether a classified lifecycle field shows: always to staff, to citizens only when public.</summary>
    private bool Shows(Asset asset, string term) =>
        !_citizenView || asset.PublicationOf(Interop.CityTwinContext.Lifecycle[term]) == PublicationClass.Public;

    /// <summary>The term of an attribute IRI (its last segment), for attributes outside the type's definitions.</summary>
    private static string ShortName(string iri) => iri[(iri.LastIndexOfAny(['/', '#', ':']) + 1)..] is { Length: > 0 } term ? term : iri;

    /// <summary>
    /// An attribute outside the type's definitions as a curator reads it: its main value and unit. The name an entity
    /// of another system carries shows the registry's name (a curator's rename wins, as on the API).
    /// </summary>
    private static string OtherValueText(Asset asset, string iri, AttributeValue value)
    {
        if (value.Type != AttributeDataType.Ngsi)
        {
            return value.ToString() + (value.UnitCode is { } u ? " " + u : "");
        }

        if (asset.Type.IsGeneric && NgsiLd.NgsiEntityStore.IsNameAttribute(iri))
        {
            return asset.Name;
        }

        return AssetForm.KeptUnit(value) is { } unit ? $"{AssetForm.KeptText(value)} {unit}" : AssetForm.KeptText(value);
    }

    private static string LinkUrl(string id) => $"/staff/registry/asset/{Uri.EscapeDataString(id)}";

    private void OnAsOfChanged(DateTime? day) =>
        Navigation.NavigateTo(day is { } d ? $"{LinkUrl(Id)}?asof={d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : LinkUrl(Id));

    private static string? ValueText(AttributeValue? value, AttributeDefinition definition) => value switch
    {
        null => null,
        { Number: { } n } => n.ToString("0.###", CultureInfo.InvariantCulture) + (definition.UnitLabel is { } u ? " " + u : ""),
        { Type: AttributeDataType.Ngsi } => AssetForm.KeptText(value),
        _ => value.ToString(),
    };

    private async Task<string?> AskReasonAsync(string title, string message, string confirm, bool danger = false)
    {
        var parameters = new DialogParameters<ReasonDialog> { { x => x.Message, message }, { x => x.ConfirmText, confirm }, { x => x.Danger, danger } };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(title, parameters);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: string reason } ? reason : null;
    }

    private async Task DecommissionAsync()
    {
        if (_detail is null || await AskReasonAsync("Decommission", "The asset is retired: kept with its history, hidden from lists by default, and can be restored.", "Decommission") is not { } reason)
        {
            return;
        }

        await RunAsync(async user => await Commands.DecommissionAsync(Id, _detail.Asset.Version, user, reason), "Asset decommissioned.");
    }

    private async Task RestoreAsync()
    {
        if (_detail is null || await AskReasonAsync("Restore", "The asset returns to the status it had before it was decommissioned.", "Restore") is not { } reason)
        {
            return;
        }

        await RunAsync(async user => await Commands.RestoreAsync(Id, _detail.Asset.Version, user, reason), "Asset restored.");
    }

    private async Task DeleteAsync()
    {
        if (_detail is null || await AskReasonAsync("Delete for good", "Deleting removes the asset from the registry. Its history stays. Prefer decommissioning unless the record is a mistake or a duplicate.", "Delete for good", danger: true) is not { } reason)
        {
            return;
        }

        if (await RunAsync(async user => await Commands.DeleteAsync(Id, _detail.Asset.Version, user, reason), "Asset deleted."))
        {
            Navigation.NavigateTo("/staff/registry");
        }
    }

    private async Task<bool> RunAsync(Func<System.Security.Claims.ClaimsPrincipal, Task> act, string success)
    {
        try
        {
            await act((await Authentication).User);
            Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (AssetConcurrencyException ex)
        {
            Snackbar.Add($"Someone else changed this asset (now version {ex.Current.Version}); the page shows the latest record. Nothing was saved.", Severity.Warning);
            return false;
        }
        catch (AssetNotFoundException)
        {
            Snackbar.Add("This asset was deleted by someone else meanwhile. Nothing was saved.", Severity.Warning);
            return false;
        }
        catch (Exception ex) when (ex is DomainException or UnauthorizedAccessException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            return false;
        }
        finally
        {
            await LoadAsync();
        }
    }
}
