using System.Net;
using System.Text.Json;
using CityTwin.Tests.Support;

namespace CityTwin.Tests.Api;

/// <summary>MIM0: the app serves an OpenAPI 3.1 description of its machine API (NGSI-LD, imports, exports) and nothing else.</summary>
[Collection(AppCollection.Name)]
public sealed class OpenApiTests(CityTwinAppFactory app)
{
    [Fact]
    public async Task TheDescription_IsOpenApi31_WithTheNgsiLdAndImportEndpoints()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.1", doc.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var expected in new[]
        {
            "/ngsi-ld/v1/entities", "/ngsi-ld/v1/entities/{id}", "/ngsi-ld/v1/entities/{id}/attrs", "/ngsi-ld/v1/entities/{id}/attrs/{attr}",
            "/ngsi-ld/v1/entityOperations/upsert", "/ngsi-ld/v1/entityOperations/query", "/ngsi-ld/v1/types", "/ngsi-ld/v1/attributes",
            "/api/imports", "/api/exports/assets",
        })
        {
            Assert.Contains(expected, paths);
        }

        Assert.DoesNotContain(paths, p => p.StartsWith("/account", StringComparison.Ordinal) || p.StartsWith("/health", StringComparison.Ordinal));
        var create = doc.RootElement.GetProperty("paths").GetProperty("/ngsi-ld/v1/entities").GetProperty("post");
        Assert.Contains("Create Entity", create.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/ld+json", out _));
    }
}
