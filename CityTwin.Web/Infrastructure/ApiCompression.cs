using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace CityTwin.Web.Infrastructure;

/// <summary>
/// Brotli/gzip for the machine-facing answers only — the NGSI-LD API and the open-data exports (ADR 0015): a page of
/// 1,000 entities is ~1.8 MB of JSON, a tenth of it compressed. Pages and the Blazor circuit are left alone (their
/// forms carry antiforgery tokens; compressing secrets next to reflected input invites BREACH), static assets come
/// precompressed from MapStaticAssets. Only when the client asks (Accept-Encoding); fastest levels: the server has
/// two cores.
/// </summary>
public static class ApiCompression
{
    /// <summary>The path prefixes whose answers may be compressed.</summary>
    public static readonly string[] Paths = [CityTwin.Web.Features.NgsiLd.NgsiLdEndpoints.Base, "/api", "/openapi"];

    public static WebApplicationBuilder AddCityTwinApiCompression(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddResponseCompression(o =>
        {
            // The API carries no cookie-bound secret in its bodies (keys travel in request headers only).
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes =
            [
                "application/json", "application/ld+json", "application/geo+json", "application/problem+json",
                "application/schema+json", "text/csv", "application/yaml", "text/plain",
            ];
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return builder;
    }

    public static IApplicationBuilder UseCityTwinApiCompression(this IApplicationBuilder app) =>
        app.UseWhen(c => Array.Exists(Paths, p => c.Request.Path.StartsWithSegments(p)), api => api.UseResponseCompression());
}
