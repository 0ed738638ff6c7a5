using CityTwin.Domain;
using CityTwin.Domain.Assets;
using CityTwin.Domain.Geography;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Assets;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace CityTwin.Web.Features.Registry;

/// <summary>
/// Create or edit an asset with a form built from its type's definitions. Fields are checked as they change; a save
/// against a stale version opens the conflict view instead of overwriting.
/// </summary>
public sealed partial class AssetEditPage
{
    private AssetForm? _form;
    private AssetForm? _base;
    private Asset? _original;
    private Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Code, string Name)> _districts = [];
    private string? _newType;
    private string? _localId;
    private string? _reason;
    private bool _submitted;
    private bool _saving;
    private bool _notFound;
    private readonly Dictionary<string, AssetSummary> _targetNames = new(StringComparer.Ordinal);

    /// <summary>Bumped after a link is added, so the picker starts empty again (a new instance) for the next one.</summary>
    private int _pickerGeneration;

    [Parameter] public string? Id { get; set; }

    [SupplyParameterFromQuery(Name = "type")] public string? TypeName { get; set; }

    [Inject] private AssetStore Store { get; set; } = default!;
    [Inject] private RegistryCommands Commands { get; set; } = default!;
    [Inject] private RegistryQueryService Queries { get; set; } = default!;
    [Inject] private AssetQueryService Search { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    private bool IsNew => Id is null;

    private string BackUrl => IsNew ? "/staff/registry" : $"/staff/registry/asset/{Uri.EscapeDataString(Id!)}";

    protected override async Task OnInitializedAsync()
    {
        _districts = await Queries.DistrictsAsync();
        if (IsNew)
        {
            if (TypeName is not null && AssetTypeCatalog.Find(TypeName) is { } type)
            {
                StartNew(type.Name);
            }

            return;
        }

        _original = await Store.FindAsync(Id!);
        if (_original is null || _original.IsDecommissioned)
        {
            _notFound = _original is null;
            if (_original is not null)
            {
                Navigation.NavigateTo(BackUrl);
            }

            return;
        }

        _form = AssetForm.From(_original);
        _base = _form.Clone();
        await LoadTargetNamesAsync();
    }

    private void StartNew(string typeName)
    {
        _newType = typeName;
        _form = AssetForm.New(AssetTypeCatalog.Get(typeName));
    }

    private string? Err(string key) => _errors.GetValueOrDefault(key);

    private void Set(string key, string? value)
    {
        _form![key] = value;
        Revalidate(key);
    }

    private void Revalidate(string key)
    {
        if (_form!.Validate(key) is { } message)
        {
            _errors[key] = message;
        }
        else
        {
            _errors.Remove(key);
        }

        if (_submitted)
        {
            _errors = new Dictionary<string, string>(_form.ValidateAll(), StringComparer.Ordinal);
        }
    }

    /// <summary>The point being edited as GeoJSON for the map (null when no valid coordinates are typed yet).</summary>
    private string? PointGeoJson =>
        double.TryParse(_form?["longitude"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lon) &&
        double.TryParse(_form?["latitude"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lat) &&
        lon is >= -180 and <= 180 && lat is >= -90 and <= 90
            ? GeoJson.Write(AssetGeometry.Point(lon, lat))
            : null;

    private void OnMapPoint((double Longitude, double Latitude) point)
    {
        Set("longitude", point.Longitude.ToString("0.0######", System.Globalization.CultureInfo.InvariantCulture));
        Set("latitude", point.Latitude.ToString("0.0######", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Assets a relationship may point to: by name or address, of the relationship's target type; a pasted id as it is.</summary>
    private async Task<IEnumerable<string>> SearchTargetsAsync(AttributeDefinition def, string? text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            return [];
        }

        if (AssetId.IsValid(text, out _) && text.StartsWith("urn:", StringComparison.Ordinal))
        {
            return [text];
        }

        var hits = await Search.SearchAsync(new AssetSearch(Text: text, Type: def.TargetType, PublicOnly: false, Limit: 15), ct);
        foreach (var hit in hits)
        {
            _targetNames[hit.Id] = hit;
        }

        return hits.Where(h => h.Id != Id).Select(h => h.Id);
    }

    private string TargetLabel(string? id) =>
        id is null ? "" : _targetNames.TryGetValue(id, out var hit) ? $"{hit.Name} · {AssetTypeCatalog.Find(hit.Type)?.Label ?? hit.Type}" : id;

    private static string TargetHelp(AttributeDefinition def) =>
        (def.TargetType is { } type && AssetTypeCatalog.Find(type) is { } target ? $"Search {target.PluralLabel.ToLowerInvariant()} by name" : "Search assets by name") +
        ", or paste an asset id";

    private void AddTarget(AttributeDefinition def, string key, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return;
        }

        _form!.SetTargets(key, def.IsList ? [.. _form.Targets(key), id] : [id]);
        _pickerGeneration++;
        Revalidate(key);
    }

    private void RemoveTarget(string key, string id)
    {
        _form!.SetTargets(key, _form.Targets(key).Where(t => t != id));
        Revalidate(key);
    }

    /// <summary>Names of the assets the form links to, so the links read as names rather than ids.</summary>
    private async Task LoadTargetNamesAsync()
    {
        var ids = _form!.Type.Attributes.Where(a => a.Kind == AttributeKind.Relationship)
            .SelectMany(a => _form.Targets(AssetForm.RelationshipPrefix + a.Iri)).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, summary) in await Search.FindSummariesAsync(ids))
        {
            _targetNames[id] = summary;
        }
    }

    private async Task SaveAsync()
    {
        _submitted = true;
        _errors = new Dictionary<string, string>(_form!.ValidateAll(), StringComparer.Ordinal);
        if (_errors.Count > 0)
        {
            return;
        }

        _saving = true;
        try
        {
            var user = (await Authentication).User;
            if (IsNew)
            {
                var local = string.IsNullOrWhiteSpace(_localId) ? Guid.NewGuid().ToString("N")[..12] : _localId.Trim();
                var asset = Asset.Create(AssetId.For(_form.Type.Name, local), _form.Type, _form["name"] ?? "", TimeProvider.System.GetUtcNow(),
                    new Provenance("CityTwin registry", TimeProvider.System.GetUtcNow(), RegistryCommands.ActorOf(user).Name));
                _form.ApplyTo(asset, Commands.Today);
                await Commands.CreateAsync(asset, user, _reason);
                Snackbar.Add("Asset created.", Severity.Success);
                Navigation.NavigateTo($"/staff/registry/asset/{Uri.EscapeDataString(asset.Id.Value)}");
                return;
            }

            await SaveOverAsync(_original!.Version, _form);
        }
        catch (DomainException ex)
        {
            _errors[ex.Field is { } field ? KeyOf(field) : "name"] = ex.Message;
            Snackbar.Add($"Not saved: {ex.Message}", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task SaveOverAsync(long version, AssetForm form)
    {
        var user = (await Authentication).User;
        try
        {
            var result = await Commands.UpdateAsync(Id!, version, a => form.ApplyTo(a, Commands.Today), user, _reason);
            Snackbar.Add(result.Changes.Count == 0 ? "Nothing changed." : $"Saved: {result.Changes.Count} field(s) changed.", Severity.Success);
            Navigation.NavigateTo(BackUrl);
        }
        catch (AssetConcurrencyException conflict)
        {
            var theirs = AssetForm.From(conflict.Current);
            var parameters = new DialogParameters<ConflictDialog> { { d => d.Mine, form }, { d => d.Theirs, theirs }, { d => d.Base, _base! } };
            var dialog = await Dialogs.ShowAsync<ConflictDialog>("This asset was changed by someone else", parameters,
                new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, BackdropClick = false });
            var choice = await dialog.Result;
            if (choice is { Canceled: false, Data: AssetForm merged })
            {
                _original = conflict.Current;
                _base = theirs;
                _form = merged;
                await SaveOverAsync(conflict.Current.Version, merged);
            }
            else
            {
                Snackbar.Add("Not saved. Your edits are still in the form.", Severity.Info);
            }
        }
        catch (AssetNotFoundException)
        {
            Snackbar.Add("Not saved: this asset was deleted by someone else meanwhile. Your edits are still in the form.", Severity.Error);
        }
    }

    /// <summary>Maps a domain field name (or attribute term) to the form key that shows its message.</summary>
    private string KeyOf(string field)
    {
        if (AssetForm.LifecycleKeys.Contains(field))
        {
            return field;
        }

        return field switch
        {
            "district" => "district",
            "geometry" => "longitude",
            _ => _form!.Type.FindAttribute(field) is { } def ? (def.Kind == AttributeKind.Relationship ? AssetForm.RelationshipPrefix : AssetForm.AttributePrefix) + def.Iri : "name",
        };
    }
}
