using System.Text.Json.Nodes;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>The outcome of an attribute write (5.2.18 UpdateResult): attributes written and those left, with why.</summary>
public sealed record UpdateResult(List<string> Updated, List<(string Attribute, string Reason)> NotUpdated)
{
    public static UpdateResult Empty() => new([], []);

    public bool Complete => NotUpdated.Count == 0;
}

/// <summary>
/// The NGSI-LD attribute operations on an expanded entity (clauses 5.6.2–5.6.5, 5.6.17–5.6.19), without storage: the
/// store loads the entity, applies one of these, and saves the result as one versioned write. Instances are matched by
/// datasetId (none = the default instance); a replaced instance keeps its createdAt, a written one loses its
/// modifiedAt so the store stamps it.
/// </summary>
public static class NgsiEntityOperations
{
    /// <summary>Append Entity Attributes (5.6.3): adds attributes and instances; overwrites unless <paramref name="noOverwrite"/>.</summary>
    public static UpdateResult Append(NgsiEntity target, NgsiEntity fragment, bool noOverwrite)
    {
        var result = UpdateResult.Empty();
        AppendTypes(target, fragment);
        if (fragment.Scopes is { } scopes)
        {
            target.Scopes = noOverwrite ? [.. (target.Scopes ?? []).Union(scopes)] : [.. scopes];
        }

        foreach (var (iri, instances) in fragment.Attributes)
        {
            var existing = target.Attributes.GetValueOrDefault(iri);
            var written = false;
            foreach (var instance in instances)
            {
                var index = existing is null ? -1 : IndexOf(existing, DatasetOf(instance));
                if (index >= 0 && noOverwrite)
                {
                    continue;
                }

                Put(target, iri, instance);
                existing = target.Attributes[iri];
                written = true;
            }

            if (written)
            {
                result.Updated.Add(iri);
            }
            else
            {
                result.NotUpdated.Add((iri, "The attribute exists and options=noOverwrite was given."));
            }
        }

        return result;
    }

    /// <summary>
    /// Update Entity Attributes (5.6.2): instances are replaced by datasetId, added when new; an NGSI-LD Null deletes.
    /// Types in the fragment are appended; scopes replace existing scopes (an entity without scope reports scope as
    /// not updated).
    /// </summary>
    public static UpdateResult Update(NgsiEntity target, NgsiEntity fragment)
    {
        var result = UpdateResult.Empty();
        AppendTypes(target, fragment);
        if (fragment.Scopes is { } scopes)
        {
            if (target.Scopes is { Count: > 0 })
            {
                target.Scopes = [.. scopes];
                result.Updated.Add("scope");
            }
            else
            {
                result.NotUpdated.Add(("scope", "The entity has no scope to update."));
            }
        }

        foreach (var (iri, instances) in fragment.Attributes)
        {
            if (!target.Attributes.TryGetValue(iri, out var existing))
            {
                // As the ETSI suite expects (011_01_03): an attribute the entity lacks is added; an NGSI-LD Null for
                // it changes nothing.
                var added = instances.Where(i => !NgsiEntityReader.IsNull(i)).ToList();
                if (added.Count > 0)
                {
                    target.Attributes[iri] = added;
                }

                result.Updated.Add(iri);
                continue;
            }

            foreach (var instance in instances)
            {
                // An existing attribute: its instance with this datasetId is replaced (or deleted by an NGSI-LD
                // Null); an instance with a new datasetId is added.
                var index = IndexOf(existing, DatasetOf(instance));
                if (NgsiEntityReader.IsNull(instance))
                {
                    if (index >= 0)
                    {
                        existing.RemoveAt(index);
                    }
                }
                else if (index >= 0)
                {
                    existing[index] = Stamped(instance, existing[index]);
                }
                else
                {
                    existing.Add(instance);
                }
            }

            if (existing.Count == 0)
            {
                target.Attributes.Remove(iri);
            }

            result.Updated.Add(iri);
        }

        return result;
    }

    /// <summary>
    /// Partial Attribute Update (5.6.4): the instance named by the fragment's datasetId (or the default one) must exist
    /// and be of the same type; the fragment's members overwrite its members; an NGSI-LD Null deletes the instance.
    /// </summary>
    public static void PartialUpdate(NgsiEntity target, string iri, string name, JsonObject fragment)
    {
        if (!target.Attributes.TryGetValue(iri, out var existing))
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"Entity '{target.Id}' has no attribute '{name}'.");
        }

        var dataset = DatasetOf(fragment);
        var index = IndexOf(existing, dataset);
        if (index < 0)
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, dataset is null
                ? $"Attribute '{name}' has no default instance (give its datasetId)."
                : $"Attribute '{name}' has no instance with datasetId {dataset}.");
        }

        if (NgsiEntityReader.IsNull(fragment))
        {
            existing.RemoveAt(index);
            if (existing.Count == 0)
            {
                target.Attributes.Remove(iri);
            }

            return;
        }

        var current = existing[index];
        if (fragment["type"] is not null && fragment["type"]?.GetValue<string>() != current["type"]?.GetValue<string>())
        {
            throw NgsiLdException.BadData($"Attribute '{name}' is a {current["type"]}; the update is a {fragment["type"]}.");
        }

        existing[index] = Merged(current, fragment);
    }

    /// <summary>Delete Entity Attribute (5.6.5): the default instance, one datasetId, or all instances.</summary>
    public static void DeleteAttribute(NgsiEntity target, string iri, string name, string? datasetId, bool deleteAll)
    {
        NgsiCatalogueMapping.EnsureDeletable(target, iri, name);
        if (!target.Attributes.TryGetValue(iri, out var existing))
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"Entity '{target.Id}' has no attribute '{name}'.");
        }

        if (deleteAll)
        {
            target.Attributes.Remove(iri);
            return;
        }

        var index = IndexOf(existing, datasetId);
        if (index < 0)
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, datasetId is null
                ? $"Attribute '{name}' has no default instance."
                : $"Attribute '{name}' has no instance with datasetId {datasetId}.");
        }

        existing.RemoveAt(index);
        if (existing.Count == 0)
        {
            target.Attributes.Remove(iri);
        }
    }

    /// <summary>Replace Entity Attribute (5.6.19): the attribute must exist; its instance (by datasetId) is replaced or added.</summary>
    public static void ReplaceAttribute(NgsiEntity target, string iri, string name, List<JsonObject> instances)
    {
        if (!target.Attributes.ContainsKey(iri))
        {
            throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"Entity '{target.Id}' has no attribute '{name}'.");
        }

        foreach (var instance in instances)
        {
            Put(target, iri, instance);
        }
    }

    /// <summary>
    /// Merge Entity (5.6.17): new attributes are added, existing instances merged member by member (sub-attributes
    /// too), an NGSI-LD Null deletes; types are appended and scopes replaced.
    /// </summary>
    public static void Merge(NgsiEntity target, NgsiEntity fragment)
    {
        AppendTypes(target, fragment);
        if (fragment.Scopes is { } scopes)
        {
            target.Scopes = [.. scopes];
        }

        foreach (var (iri, instances) in fragment.Attributes)
        {
            foreach (var instance in instances)
            {
                var existing = target.Attributes.GetValueOrDefault(iri);
                var index = existing is null ? -1 : IndexOf(existing, DatasetOf(instance));
                if (NgsiEntityReader.IsNull(instance))
                {
                    if (index >= 0)
                    {
                        existing!.RemoveAt(index);
                        if (existing.Count == 0)
                        {
                            target.Attributes.Remove(iri);
                        }
                    }

                    continue;
                }

                if (index >= 0 && existing![index]["type"]?.GetValue<string>() == instance["type"]?.GetValue<string>())
                {
                    existing[index] = Merged(existing[index], instance);
                }
                else
                {
                    Put(target, iri, instance);
                }
            }
        }
    }

    /// <summary>Replace Entity (5.6.18): every attribute, type and scope replaced by the new content.</summary>
    public static void Replace(NgsiEntity target, NgsiEntity replacement)
    {
        target.Types.Clear();
        target.Types.AddRange(replacement.Types);
        target.Scopes = replacement.Scopes is null ? null : [.. replacement.Scopes];
        var previous = new Dictionary<string, List<JsonObject>>(target.Attributes);
        target.Attributes.Clear();
        foreach (var (iri, instances) in replacement.Attributes)
        {
            target.Attributes[iri] = [.. instances.Select(i => previous.TryGetValue(iri, out var old) && IndexOf(old, DatasetOf(i)) is var at and >= 0 ? Stamped(i, old[at]) : i)];
        }

        // The registry's lifecycle attributes are curated in the registry: a replacement that does not mention them keeps them.
        foreach (var iri in NgsiCatalogueMapping.RegistryOwned.Where(i => previous.ContainsKey(i) && !target.Attributes.ContainsKey(i)))
        {
            target.Attributes[iri] = previous[iri];
        }
    }

    private static void AppendTypes(NgsiEntity target, NgsiEntity fragment)
    {
        foreach (var type in fragment.Types.Where(t => !target.Types.Contains(t)))
        {
            target.Types.Add(type);
        }
    }

    /// <summary>Puts an instance, replacing the one with the same datasetId (keeping its createdAt).</summary>
    private static void Put(NgsiEntity target, string iri, JsonObject instance)
    {
        if (!target.Attributes.TryGetValue(iri, out var existing))
        {
            target.Attributes[iri] = [instance];
            return;
        }

        var index = IndexOf(existing, DatasetOf(instance));
        if (index >= 0)
        {
            existing[index] = Stamped(instance, existing[index]);
        }
        else
        {
            existing.Add(instance);
        }
    }

    /// <summary>The new instance with the old one's createdAt and no modifiedAt (the store stamps the write time).</summary>
    private static JsonObject Stamped(JsonObject instance, JsonObject old)
    {
        var copy = (JsonObject)instance.DeepClone();
        copy.Remove("modifiedAt");
        if (old["createdAt"] is { } created)
        {
            copy["createdAt"] = created.DeepClone();
        }

        return copy;
    }

    /// <summary>Member-wise merge: the fragment's members win (a languageMap is replaced whole); sub-attributes merge recursively.</summary>
    private static JsonObject Merged(JsonObject current, JsonObject fragment)
    {
        var merged = (JsonObject)current.DeepClone();
        merged.Remove("modifiedAt");
        foreach (var (name, node) in fragment)
        {
            if (name is "createdAt" or "modifiedAt")
            {
                continue;
            }

            if (!NgsiTerms.Members.Contains(name) && merged[name] is JsonObject sub && node is JsonObject subUpdate &&
                sub["type"]?.GetValue<string>() == subUpdate["type"]?.GetValue<string>())
            {
                merged[name] = Merged(sub, subUpdate);
                continue;
            }

            merged[name] = node?.DeepClone();
        }

        return merged;
    }

    public static string? DatasetOf(JsonObject instance) => instance["datasetId"]?.GetValue<string>();

    private static int IndexOf(List<JsonObject> instances, string? datasetId) =>
        instances.FindIndex(i => DatasetOf(i) == datasetId);
}
