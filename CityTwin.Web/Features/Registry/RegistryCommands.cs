using System.Security.Claims;
using CityTwin.Domain.Assets;
using CityTwin.Domain.History;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Security;
using Microsoft.EntityFrameworkCore;

namespace CityTwin.Web.Features.Registry;

/// <summary>The fields a bulk edit can set on a filtered selection.</summary>
public enum BulkField
{
    District,
    Status,
    Department,
    Publication,
    Condition,
}

public sealed record BulkEdit(BulkField Field, string? Value, int? Condition = null, DateOnly? InspectedOn = null);

public sealed record BulkPreview(int Selected, int WillChange, DateTimeOffset At);

/// <summary>The selection of a bulk edit changed after its preview: nothing was written.</summary>
public sealed class SelectionChangedException(string message) : Exception(message);

/// <summary>Registry writes from the staff UI: who is acting comes from the signed-in user; every write goes through <see cref="AssetStore"/>.</summary>
public sealed class RegistryCommands(AssetStore store, RegistryQueryService queries, IDbContextFactory<CityTwinDbContext> dbFactory, TimeProvider time)
{
    public static ChangeActor ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.HasClaim(c => c.Type == ApiKeyAuthenticationHandler.KeyIdClaim)
            ? new ChangeActor(user.ActorName().Replace("apikey:", "", StringComparison.Ordinal), ActorKind.ApiKey)
            : new ChangeActor(user.ActorName(), ActorKind.User);
    }

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<BulkPreview> PreviewAsync(RegistryFilter filter, BulkEdit edit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var selection = RegistryQueryService.Filter(db, filter with { AsOf = null }, Today);
        var selected = await selection.CountAsync(ct);
        var value = edit.Value;
        var willChange = edit.Field switch
        {
            BulkField.District => await selection.CountAsync(a => a.DistrictCode != value, ct),
            BulkField.Status => await selection.CountAsync(a => a.Status != value, ct),
            BulkField.Department => await selection.CountAsync(a => a.Department != value, ct),
            BulkField.Publication => await selection.CountAsync(a => a.Publication != value, ct),
            _ => selected, // an inspection always records a new date
        };
        return new BulkPreview(selected, willChange, time.GetUtcNow());
    }

    /// <summary>
    /// Applies a previewed bulk edit. If any selected asset changed after the preview (or the selection grew or
    /// shrank), nothing is written: the curator previews again. Each asset's version is checked as in a single edit.
    /// </summary>
    public async Task<int> ApplyAsync(RegistryFilter filter, BulkEdit edit, BulkPreview preview, ClaimsPrincipal user, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(preview);
        var targets = await queries.TargetsAsync(filter, ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var changedSince = await RegistryQueryService.Filter(db, filter with { AsOf = null }, Today).CountAsync(a => a.ModifiedAt > preview.At, ct);
            if (changedSince > 0 || targets.Count != preview.Selected)
            {
                throw new SelectionChangedException(changedSince > 0
                    ? $"{changedSince:N0} of the selected assets changed after the preview."
                    : $"The selection now holds {targets.Count:N0} assets instead of {preview.Selected:N0}.");
            }
        }

        var today = Today;
        Action<Asset> change = edit.Field switch
        {
            BulkField.District => a => a.AssignTo(a.Department, edit.Value),
            BulkField.Department => a => a.AssignTo(edit.Value, a.DistrictCode),
            BulkField.Status => a => a.ChangeStatus(Enum.Parse<AssetStatus>(edit.Value ?? "")),
            BulkField.Publication => a => a.Publish(Enum.Parse<PublicationClass>(edit.Value ?? "")),
            _ => a => a.RecordInspection(edit.Condition ?? 0, edit.InspectedOn ?? today, today),
        };
        var results = await store.UpdateManyAsync(targets, change,
            new ChangeContext(ActorOf(user), ChangeOperations.BulkEdit, reason, Guid.NewGuid().ToString("N")), ct);
        return results.Count(r => r.Changes.Count > 0);
    }

    public Task<AssetWriteResult> UpdateAsync(string id, long version, Action<Asset> change, ClaimsPrincipal user, string? reason, CancellationToken ct = default) =>
        store.UpdateAsync(id, version, change, new ChangeContext(ActorOf(user), ChangeOperations.Update, reason), ct);

    public Task<AssetWriteResult> DecommissionAsync(string id, long version, ClaimsPrincipal user, string? reason, CancellationToken ct = default) =>
        store.UpdateAsync(id, version, a => a.Decommission(Today), new ChangeContext(ActorOf(user), ChangeOperations.Decommission, reason), ct);

    public Task<AssetWriteResult> RestoreAsync(string id, long version, ClaimsPrincipal user, string? reason, CancellationToken ct = default) =>
        store.UpdateAsync(id, version, a => a.Restore(), new ChangeContext(ActorOf(user), ChangeOperations.Restore, reason), ct);

    public Task<AssetWriteResult> CreateAsync(Asset asset, ClaimsPrincipal user, string? reason, CancellationToken ct = default) =>
        store.CreateAsync(asset, new ChangeContext(ActorOf(user), ChangeOperations.Create, reason), ct);

    /// <summary>Hard delete: administrators only (checked here too, not just in the page).</summary>
    public Task DeleteAsync(string id, long version, ClaimsPrincipal user, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Administrator)
            ? store.DeleteAsync(id, version, new ChangeContext(ActorOf(user), ChangeOperations.Delete, reason), ct)
            : throw new UnauthorizedAccessException("Only administrators may delete an asset for good; decommission it instead.");
    }
}
