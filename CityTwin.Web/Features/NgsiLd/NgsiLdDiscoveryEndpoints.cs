using System.Text.Json;
using CityTwin.Web.Features.JsonLd;
using CityTwin.Web.Features.Security;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>
/// Discovery (5.7.5–5.7.10): <c>/types</c>, <c>/types/{type}</c>, <c>/attributes</c>, <c>/attributes/{attr}</c> over
/// every entity the caller may see, names compacted with the caller's context (<c>details=true</c> for the detailed
/// lists). An unknown type or attribute is ResourceNotFound.
/// </summary>
public static class NgsiLdDiscoveryEndpoints
{
    private static readonly HashSet<string> Parameters = new(StringComparer.Ordinal) { "details", "local", "csf" };

    public static RouteGroupBuilder MapNgsiLdDiscovery(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/types", TypesAsync).Doc("Retrieve available entity types (5.7.5, 5.7.6): details=true for EntityType objects", false, 200);
        group.MapGet("/types/{type}", TypeAsync).Doc("Details of an entity type (5.7.7): EntityTypeInfo", false, 200);
        group.MapGet("/attributes", AttributesAsync).Doc("Available attributes (5.7.8, 5.7.9): details=true for Attribute objects", false, 200);
        group.MapGet("/attributes/{attr}", AttributeAsync).Doc("Details of an attribute (5.7.10)", false, 200);
        return group;
    }

    private static bool PublicOnly(HttpContext http) =>
        !http.User.SeesInternalData();

    private static bool Details(HttpContext http) => http.Request.Query["details"].FirstOrDefault() switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw NgsiLdException.BadData($"details must be true or false, not '{other}'."),
    };

    /// <summary>Runs a discovery read: negotiation, known parameters only, the caller's context and the inventory.</summary>
    private static Task<IResult> Read(HttpContext http, ContextResolver contexts, NgsiEntityStore entities,
        Func<JsonLdContext, NgsiEntityStore.Inventory, Action<Utf8JsonWriter>> answer) =>
        Read(http, contexts, async context => answer(context, await entities.InventoryAsync(PublicOnly(http), http.RequestAborted)));

    /// <summary>Runs a discovery read: negotiation, known parameters only, the caller's context and an answer.</summary>
    private static Task<IResult> Read(HttpContext http, ContextResolver contexts, Func<JsonLdContext, Task<Action<Utf8JsonWriter>>> answer) =>
        NgsiLdEndpoints.Run(http, async () =>
    {
        var media = NgsiLdHttp.Negotiate(http.Request, geoJson: false);
        if (media is null)
        {
            return Results.StatusCode(StatusCodes.Status406NotAcceptable);
        }

        foreach (var name in http.Request.Query.Keys.Where(k => !Parameters.Contains(k)))
        {
            throw NgsiLdException.Invalid($"Unknown query parameter '{name}' (allowed: details, local).");
        }

        var (context, linkUrl) = await NgsiLdHttp.LinkContextAsync(http.Request, contexts, http.RequestAborted);
        var write = await answer(context);
        return new NgsiLdEndpoints.JsonBodyResult(media, linkUrl, w =>
        {
            if (media == NgsiLdHttp.LdJson)
            {
                // JSON-LD: the answer object (or each element) gets the @context.
                using var buffer = new MemoryStream();
                using (var inner = new Utf8JsonWriter(buffer))
                {
                    write(inner);
                }

                var node = System.Text.Json.Nodes.JsonNode.Parse(buffer.ToArray())!;
                var context = NgsiLdHttp.BodyContext(linkUrl, null);
                if (node is System.Text.Json.Nodes.JsonObject o)
                {
                    o["@context"] = context;
                }
                else
                {
                    foreach (var item in node.AsArray().OfType<System.Text.Json.Nodes.JsonObject>())
                    {
                        item["@context"] = context.DeepClone();
                    }
                }

                node.WriteTo(w);
                return;
            }

            write(w);
        });
    });

    private static Task<IResult> TypesAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities)
    {
        if (!Details(http))
        {
            // The list of names needs no inventory: the database knows the types (the first /types after a start
            // built every entity, ~5 s at 100k).
            return Read(http, contexts, async context =>
            {
                var types = await entities.TypeNamesAsync(PublicOnly(http), http.RequestAborted)
                    ?? [.. (await entities.InventoryAsync(PublicOnly(http), http.RequestAborted)).Types.Keys];
                return w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", $"urn:ngsi-ld:EntityTypeList:{Guid.NewGuid()}");
                    w.WriteString("type", "EntityTypeList");
                    w.WriteStartArray("typeList");
                    types.Order(StringComparer.Ordinal).ToList().ForEach(t => w.WriteStringValue(context.Compact(t)));
                    w.WriteEndArray();
                    w.WriteEndObject();
                };
            });
        }

        return Read(http, contexts, entities, (context, inventory) => w =>
        {
            w.WriteStartArray();
            foreach (var (type, (_, attributes)) in inventory.Types.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("id", type);
                w.WriteString("type", "EntityType");
                w.WriteString("typeName", context.Compact(type));
                w.WriteStartArray("attributeNames");
                attributes.Keys.Order(StringComparer.Ordinal).ToList().ForEach(a => w.WriteStringValue(context.Compact(a)));
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static Task<IResult> TypeAsync(HttpContext http, string type, ContextResolver contexts, NgsiEntityStore entities) =>
        Read(http, contexts, entities, (context, inventory) =>
        {
            var name = NgsiEntityStore.IdFromRoute(type);
            var iri = NgsiEntityReader.ExpandName(context, name, "type");
            if (!inventory.Types.TryGetValue(iri, out var info))
            {
                throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"No entity of type '{name}' ({iri}).");
            }

            return w =>
            {
                w.WriteStartObject();
                w.WriteString("id", iri);
                w.WriteString("type", "EntityTypeInfo");
                w.WriteString("typeName", context.Compact(iri));
                w.WriteNumber("entityCount", info.Entities);
                w.WriteStartArray("attributeDetails");
                foreach (var (attribute, kinds) in info.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    w.WriteStartObject();
                    w.WriteString("id", attribute);
                    w.WriteString("type", "Attribute");
                    w.WriteString("attributeName", context.Compact(attribute));
                    w.WriteStartArray("attributeTypes");
                    kinds.ToList().ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            };
        });

    private static Task<IResult> AttributesAsync(HttpContext http, ContextResolver contexts, NgsiEntityStore entities)
    {
        var details = Details(http);
        return Read(http, contexts, entities, (context, inventory) => w =>
        {
            if (!details)
            {
                w.WriteStartObject();
                w.WriteString("id", $"urn:ngsi-ld:AttributeList:{Guid.NewGuid()}");
                w.WriteString("type", "AttributeList");
                w.WriteStartArray("attributeList");
                inventory.Attributes.Keys.Order(StringComparer.Ordinal).ToList().ForEach(a => w.WriteStringValue(context.Compact(a)));
                w.WriteEndArray();
                w.WriteEndObject();
                return;
            }

            w.WriteStartArray();
            foreach (var (attribute, (_, _, typeNames)) in inventory.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("id", attribute);
                w.WriteString("type", "Attribute");
                w.WriteString("attributeName", context.Compact(attribute));
                w.WriteStartArray("typeNames");
                typeNames.ToList().ForEach(t => w.WriteStringValue(context.Compact(t)));
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static Task<IResult> AttributeAsync(HttpContext http, string attr, ContextResolver contexts, NgsiEntityStore entities) =>
        Read(http, contexts, entities, (context, inventory) =>
        {
            var name = NgsiEntityStore.IdFromRoute(attr);
            var iri = NgsiEntityReader.ExpandName(context, name, name);
            if (!inventory.Attributes.TryGetValue(iri, out var info))
            {
                throw new NgsiLdException(NgsiLdErrors.ResourceNotFound, $"No entity has the attribute '{name}' ({iri}).");
            }

            return w =>
            {
                w.WriteStartObject();
                w.WriteString("id", iri);
                w.WriteString("type", "Attribute");
                w.WriteString("attributeName", context.Compact(iri));
                w.WriteNumber("attributeCount", info.Count);
                w.WriteStartArray("attributeTypes");
                info.AttributeTypes.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteStartArray("typeNames");
                info.TypeNames.ToList().ForEach(t => w.WriteStringValue(context.Compact(t)));
                w.WriteEndArray();
                w.WriteEndObject();
            };
        });
}
