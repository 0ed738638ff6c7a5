using Microsoft.AspNetCore.Localization;

namespace CityTwin.Web.Features.Portal;

public static class CultureEndpoints
{
    /// <summary>Localization for EN/FR/NL: query string (?culture=fr), then the culture cookie, then Accept-Language.</summary>
    public static IHostApplicationBuilder AddCityTwinLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("en");
            o.AddSupportedCultures(PortalCultures.Codes);
            o.AddSupportedUICultures(PortalCultures.Codes);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
        });
        return builder;
    }

    /// <summary><c>GET /culture/set?culture=fr&amp;returnUrl=/</c>: remembers the language in a cookie and goes back.</summary>
    public static IEndpointRouteBuilder MapCultureEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/culture/set", (HttpContext context, string? culture, string? returnUrl) =>
        {
            if (culture is null || !PortalCultures.Codes.Contains(culture))
            {
                return Results.Problem($"Unknown language '{culture}'. Use one of: {string.Join(", ", PortalCultures.Codes)}.", statusCode: 400);
            }

            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            var target = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";
            return Results.LocalRedirect(target);
        });
        return app;
    }
}
