using System.Text.Json;
using CityTwin.Web.Features.JsonLd;
using CityTwin.Web.Features.Registry;
using CityTwin.Web.Features.Security;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// Batch entity operations (5.6.7–5.6.10, 5.6.20): create, upsert, update, delete and merge under
/// <c>/entityOperations</c>. Each entity is written on its own (one versioned write per entity, in body order); the
/// outcome is 201/204 when all succeed, else 207 with a BatchOperationResult naming each failed entity and why.
/// </summary>
public static class NgsiLdBatchEndpoints
{
    public static RouteGroupBuilder MapNgsiLdBatch(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var (kind, summary, success) in new[]
        {
            (BatchKind.Create, "Batch Create (5.6.7): 201 with the created ids, 207 BatchOperationResult", 201),
            (BatchKind.Upsert, "Batch Upsert (5.6.8): options=replace|update", 201),
            (BatchKind.Update, "Batch Update (5.6.9): options=noOverwrite", 204),
            (BatchKind.Merge, "Batch Merge (5.6.20)", 204),
            (BatchKind.Delete, "Batch Delete (5.6.10): an array of ids", 204),
        })
        {
            group.MapPost("/entityOperations/" + kind.ToString().ToLowerInvariant(),
                    (HttpContext http, ContextResolver contexts, NgsiEntityStore entities) => BatchAsync(http, contexts, entities, kind))
                .RequireAuthorization(Policies.ApiWrite)
                .Doc(summary, true, success, 207);
        }

        return group;
    }

    private enum BatchKind
    {
        Create,
        Upsert,
        Update,
        Merge,
        Delete,
    }

    private static Task<IResult> BatchAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities, BatchKind kind) =>
        NgsiLdEndpoints.Run(http, async () =>
        {
            if (!NgsiLdHttp.IsAcceptableBody(http.Request, mergePatch: false))
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            var options = (http.Request.Query["options"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var body = await NgsiLdHttp.ReadBodyAsync(http.Request, contexts, http.RequestAborted);
            if (body.Json.ValueKind != JsonValueKind.Array)
            {
                throw NgsiLdException.BadData("A batch operation takes a JSON array.");
            }

            if (body.Json.GetArrayLength() == 0)
            {
                throw NgsiLdException.BadData("The batch is empty.");
            }

            var actor = RegistryCommands.ActorOf(http.User);
            var success = new List<string>();
            var created = new List<string>();
            var errors = new List<(string Id, string Type, string Detail)>();
            var items = body.Json.EnumerateArray().ToList();
            var bulk = kind is BatchKind.Create or BatchKind.Upsert && items.Count > 1
                ? await BulkCreateAsync(items, body, http.Request, contexts, entities, actor, http.RequestAborted)
                : [];
            var grouped = kind is BatchKind.Upsert or BatchKind.Update or BatchKind.Merge && items.Count > 1
                ? await BulkModifyAsync(kind, options, items, bulk, body, http.Request, contexts, entities, actor, http.RequestAborted)
                : [];
            for (var index = 0; index < items.Count; index++)
            {
                var item = items[index];
                var id = kind == BatchKind.Delete ? item.ValueKind == JsonValueKind.String ? item.GetString()! : ""
                    : IdOf(item);
                if (bulk.TryGetValue(index, out var outcome))
                {
                    if (outcome is null)
                    {
                        created.Add(id);
                        success.Add(id);
                    }
                    else
                    {
                        errors.Add((id, outcome.Type, outcome.Message));
                    }

                    continue;
                }

                if (grouped.TryGetValue(index, out var problem))
                {
                    if (problem is null)
                    {
                        success.Add(id);
                    }
                    else
                    {
                        errors.Add((id, problem.Type, problem.Message));
                    }

                    continue;
                }

                try
                {
                    if (kind == BatchKind.Delete)
                    {
                        if (!Domain.Assets.AssetId.IsValid(id, out var error))
                        {
                            throw NgsiLdException.BadData(error);
                        }

                        if (!await entities.DeleteAsync(id, actor, http.RequestAborted))
                        {
                            throw NgsiLdException.NotFound(id);
                        }

                        success.Add(id);
                        continue;
                    }

                    var context = await EntityContextAsync(item, body, http.Request, contexts, http.RequestAborted);
                    switch (kind)
                    {
                        case BatchKind.Create:
                            await entities.CreateAsync(NgsiEntityReader.Read(item, context), actor, http.RequestAborted);
                            created.Add(id);
                            break;
                        case BatchKind.Upsert:
                            var (entity, change) = Change(kind, options, item, context);
                            if (await entities.FindAsync(entity.Id, publicOnly: false, http.RequestAborted) is null)
                            {
                                await entities.CreateAsync(entity, actor, http.RequestAborted);
                                created.Add(id);
                            }
                            else if (await entities.ModifyAsync(entity.Id, actor, Reason(kind, options), change, http.RequestAborted) is { } refused)
                            {
                                throw refused;
                            }

                            break;
                        default: // update, merge
                            var (target, operation) = Change(kind, options, item, context);
                            if (await entities.ModifyAsync(target.Id, actor, Reason(kind, options), operation, http.RequestAborted) is { } failed)
                            {
                                throw failed;
                            }

                            break;
                    }

                    success.Add(id);
                }
                catch (NgsiLdException e)
                {
                    errors.Add((id, e.Type, e.Message));
                }
                catch (JsonLdException e)
                {
                    errors.Add((id, e.ErrorType, e.Message));
                }
            }

            if (errors.Count == 0)
            {
                return kind is BatchKind.Create || (kind == BatchKind.Upsert && created.Count > 0)
                    ? NgsiLdEndpoints.JsonBodyResult.Plain(StatusCodes.Status201Created, w =>
                    {
                        w.WriteStartArray();
                        created.ForEach(w.WriteStringValue);
                        w.WriteEndArray();
                    })
                    : Results.NoContent();
            }

            var status = NgsiLdErrors.StatusOf(NgsiLdErrors.BadRequestData);
            return NgsiLdEndpoints.JsonBodyResult.Plain(StatusCodes.Status207MultiStatus, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("success");
                success.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteStartArray("errors");
                foreach (var (id, type, detail) in errors)
                {
                    w.WriteStartObject();
                    w.WriteString("entityId", id);
                    w.WritePropertyName("error");
                    NgsiLdErrors.Write(w, type, detail, NgsiLdErrors.StatusOf(type));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

    private static string IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString()! : "";

    /// <summary>
    /// The new entities of a create or upsert batch (ids the registry does not hold, once each in the batch) written
    /// in one transaction; by batch position, null for created or the entity's error. Entities that cannot be read
    /// are left to the entity-by-entity path, which reports their error.
    /// </summary>
    private static async Task<Dictionary<int, NgsiLdException?>> BulkCreateAsync(List<JsonElement> items, NgsiLdBody body, HttpRequest request,
        ContextResolver contexts, NgsiEntityStore entities, Domain.History.ChangeActor actor, CancellationToken ct)
    {
        var once = items.Select(IdOf).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var parsed = new List<(int Index, NgsiEntity Entity)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!once.Contains(IdOf(items[i])))
            {
                continue;
            }

            try
            {
                parsed.Add((i, NgsiEntityReader.Read(items[i], await EntityContextAsync(items[i], body, request, contexts, ct))));
            }
            catch (Exception e) when (e is NgsiLdException or JsonLdException)
            {
                // reported by the entity-by-entity path
            }
        }

        var existing = parsed.Count == 0 ? [] : await entities.ExistingAsync([.. parsed.Select(p => p.Entity.Id)], ct);
        var fresh = parsed.Where(p => !existing.Contains(p.Entity.Id)).ToList();
        if (fresh.Count < 2)
        {
            return [];
        }

        var failures = await entities.CreateManyAsync([.. fresh.Select(f => f.Entity)], actor, ct);
        return failures is null ? [] : fresh.ToDictionary(f => f.Index, f => failures.GetValueOrDefault(f.Entity.Id));
    }

    /// <summary>
    /// The existing entities of an upsert, update or merge batch (ids once each in the batch, not created by
    /// <see cref="BulkCreateAsync"/>) changed and written in one transaction (<see cref="NgsiEntityStore.ModifyManyAsync"/>);
    /// by batch position, null for done or the entity's error. Left to the entity-by-entity path: entities that cannot
    /// be read (it reports their error), entities an upsert must create (absent or decommissioned), and everything when
    /// someone wrote one of them in between.
    /// </summary>
    private static async Task<Dictionary<int, NgsiLdException?>> BulkModifyAsync(BatchKind kind, string[] options, List<JsonElement> items,
        Dictionary<int, NgsiLdException?> created, NgsiLdBody body, HttpRequest request, ContextResolver contexts, NgsiEntityStore entities,
        Domain.History.ChangeActor actor, CancellationToken ct)
    {
        var once = items.Select(IdOf).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var changes = new List<(int Index, string Id, Func<NgsiEntity, NgsiLdException?> Change)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (created.ContainsKey(i) || !once.Contains(IdOf(items[i])))
            {
                continue;
            }

            try
            {
                var (entity, change) = Change(kind, options, items[i], await EntityContextAsync(items[i], body, request, contexts, ct));
                changes.Add((i, entity.Id, change));
            }
            catch (Exception e) when (e is NgsiLdException or JsonLdException)
            {
                // reported by the entity-by-entity path
            }
        }

        if (changes.Count < 2)
        {
            return [];
        }

        var outcome = await entities.ModifyManyAsync([.. changes.Select(c => (c.Id, c.Change))], actor, Reason(kind, options), ct);
        if (outcome is null)
        {
            return [];
        }

        // An upsert creates what does not exist (or restores it): the entity-by-entity path does that.
        return changes.Where(c => !(kind == BatchKind.Upsert && outcome[c.Id]?.Type == NgsiLdErrors.ResourceNotFound))
            .ToDictionary(c => c.Index, c => outcome[c.Id]);
    }

    /// <summary>
    /// The entity an upsert, update or merge item names (as read: an upsert may create it) and the operation on the
    /// stored entity; the operation returns the entity's error (an update that could not write every attribute) or null.
    /// </summary>
    private static (NgsiEntity Entity, Func<NgsiEntity, NgsiLdException?> Change) Change(BatchKind kind, string[] options, JsonElement item, JsonLdContext context)
    {
        switch (kind)
        {
            case BatchKind.Upsert:
                var entity = NgsiEntityReader.Read(item, context);
                return (entity, options.Contains("update")
                    ? e => { NgsiEntityOperations.Update(e, entity); return null; }
                    : e => { NgsiEntityOperations.Replace(e, entity); return null; });
            case BatchKind.Update:
                var fragment = NgsiEntityReader.Read(item, context, requireType: false);
                return (fragment, e =>
                {
                    var result = NgsiEntityOperations.Append(e, fragment, options.Contains("noOverwrite"));
                    return result.Complete ? null
                        : NgsiLdException.BadData($"Not updated: {string.Join(", ", result.NotUpdated.Select(n => n.Attribute))} ({result.NotUpdated[0].Reason})");
                });
            default:
                var merge = NgsiEntityReader.Read(item, context, requireType: false, allowNull: true);
                return (merge, e => { NgsiEntityOperations.Merge(e, merge); return null; });
        }
    }

    private static string Reason(BatchKind kind, string[] options) => kind switch
    {
        BatchKind.Upsert => options.Contains("update") ? "batch upsert (update)" : "batch upsert (replace)",
        BatchKind.Update => "batch update",
        _ => "batch merge",
    };

    /// <summary>
    /// The context of one entity of a batch: its own @context with application/ld+json (required), the Link header
    /// (or the core context) with application/json, where an @context in the entity is an error of that entity.
    /// </summary>
    private static async Task<JsonLdContext> EntityContextAsync(JsonElement item, NgsiLdBody body, HttpRequest request, ContextResolver contexts, CancellationToken ct)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw NgsiLdException.BadData("A batch entity is a JSON object.");
        }

        var own = item.TryGetProperty("@context", out var context);
        if (body.LdJson)
        {
            return own ? await NgsiLdHttp.ResolveAsync(() => contexts.ResolveAsync(context, ct))
                : throw NgsiLdException.BadData("With application/ld+json every entity carries its @context.");
        }

        if (own)
        {
            throw NgsiLdException.BadData("With application/json an entity must not carry an @context (send it in a Link header).");
        }

        return (await NgsiLdHttp.LinkContextAsync(request, contexts, ct)).Context;
    }
}
