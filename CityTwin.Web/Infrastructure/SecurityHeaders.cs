namespace CityTwin.Web.Infrastructure;

public static class SecurityHeaders
{
    /// <summary>
    /// Conservative response headers on every response: no sniffing, no framing, a strict referrer policy and a CSP
    /// that allows only this origin (plus the configured tile host for map images and Blazor's WebSocket).
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var tileHost = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<MapOptions>>().Value.TileUrl is { Length: > 0 } url
            && Uri.TryCreate(url.Replace("{s}", "a", StringComparison.Ordinal).Replace("{z}", "0", StringComparison.Ordinal)
                .Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? $" {uri.Scheme}://{uri.Host}" : "";
        var csp = "default-src 'self'; " +
                  "script-src 'self' 'wasm-unsafe-eval'; " +
                  "style-src 'self' 'unsafe-inline'; " +
                  $"img-src 'self' data:{tileHost}; " +
                  "connect-src 'self' ws: wss:; " +
                  "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()";
            headers.ContentSecurityPolicy = csp;
            await next();
        });
    }
}
