using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CityTwin.Web.Features.Api;

/// <summary>
/// The OpenAPI 3.1 description of the machine API (OASC MIM0 "Accessing Data"): the NGSI-LD API, imports and exports,
/// served at <c>/openapi/v1.json</c>. Staff pages, account and health endpoints are left out.
/// </summary>
public static class OpenApiRegistration
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddCityTwinOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.ShouldInclude = d => d.RelativePath is { } path &&
                (path.StartsWith("ngsi-ld/v1", StringComparison.Ordinal) || path.StartsWith("api/imports", StringComparison.Ordinal) ||
                 path.StartsWith("api/exports", StringComparison.Ordinal));
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CityTwin API",
                    Version = "v1",
                    Description = "The city's asset registry as an NGSI-LD context broker (ETSI GS CIM 009 V1.9.1 subset: entities, " +
                        "attributes, batch operations, queries with q and geo-queries, discovery), plus file imports and exports " +
                        "(NGSI-LD, Smart Data Models, GeoJSON, CSV). Writes need an API key with write scope: " +
                        "'Authorization: Bearer <key>'. Errors are ProblemDetails with the ETSI error types " +
                        "(https://uri.etsi.org/ngsi-ld/errors/…). Conformance: docs/conformance.md.",
                    License = new OpenApiLicense { Name = "Data: as published by the city; API description: MIT" },
                };
                return Task.CompletedTask;
            });
        });
}
