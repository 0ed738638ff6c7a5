using CityTwin.Web.Components;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Assets;
using CityTwin.Web.Features.DemoCity;
using CityTwin.Web.Features.Health;
using CityTwin.Web.Features.Interop;
using CityTwin.Web.Features.Portal;
using CityTwin.Web.Features.Security;
using CityTwin.Web.Infrastructure;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCityTwinOptions();
    builder.AddCityTwinData();
    builder.AddCityTwinSecurity();
    builder.AddCityTwinLocalization();
    builder.AddCityTwinHealth();
    builder.AddCityTwinApiCompression();

    builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    builder.Services.AddMudServices();
    builder.Services.AddProblemDetails();
    builder.Services.AddAntiforgery(o => o.SuppressXFrameOptionsHeader = true); // X-Frame-Options: DENY is set on every response
    builder.Services.AddSingleton<AssetQueryService>();
    builder.Services.AddSingleton<DemoCitySeeder>();
    builder.Services.AddSingleton<AssetStore>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Registry.HistoryService>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Registry.RegistryQueryService>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Registry.RegistryCommands>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Registry.AssetDetailService>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Registry.DataQualityService>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Registry.ObservationQueryService>();
    builder.Services.AddSingleton<ExportService>();
    builder.Services.AddHttpClient(CityTwin.Web.Features.JsonLd.ContextResolver.HttpClientName);
    builder.Services.AddSingleton<CityTwin.Web.Features.JsonLd.ContextResolver>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Import.SdmSchemas>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Import.NgsiLdImportReader>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Import.ImportService>();
    builder.Services.AddSingleton<CityTwin.Web.Features.Import.ImportMappingStore>();
    builder.Services.AddSingleton<CityTwin.Web.Features.NgsiLd.NgsiEntityCache>();
    builder.Services.AddSingleton<CityTwin.Web.Features.NgsiLd.NgsiEntityStore>();
    builder.Services.AddSingleton<CityTwin.Web.Features.NgsiLd.NgsiTemporalStore>();
    CityTwin.Web.Features.Api.OpenApiRegistration.AddCityTwinOpenApi(builder.Services);

    var app = builder.Build();

    // Every option is checked before anything uses one (ValidateOnStart alone would wait for StartAsync).
    app.Services.GetRequiredService<IStartupValidator>().Validate();

    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler("/error", createScopeForErrors: true);
    }

    app.UseStatusCodePagesWithReExecute("/not-found");
    app.UseCityTwinApiCompression();
    app.UseWhen(c => c.Request.Path.StartsWithSegments(CityTwin.Web.Features.NgsiLd.NgsiLdEndpoints.Base), api => api.Use((c, next) =>
    {
        // NGSI-LD answers 401/406/411/413/415 without a body: no HTML status page for the API.
        c.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
        return CityTwin.Web.Features.NgsiLd.NgsiLdEndpoints.RejectEmptySegmentsAsync(c, next);
    }));
    app.UseSecurityHeaders();
    app.UseRequestLocalization();
    app.UseAuthentication();
    app.UseRejectInvalidApiKeys();
    app.UseAuthorization();
    app.UseAntiforgery();

    app.MapStaticAssets();
    app.MapCityTwinHealth();
    app.MapAccountEndpoints();
    app.MapCultureEndpoints();
    app.MapAssetEndpoints();
    app.MapExportEndpoints();
    CityTwin.Web.Features.Import.ImportEndpoints.MapImportEndpoints(app);
    CityTwin.Web.Features.NgsiLd.NgsiLdEndpoints.MapNgsiLdEndpoints(app);
    app.MapOpenApi(CityTwin.Web.Features.Api.OpenApiRegistration.DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));
    app.MapGet("/error", () => Results.Problem("Something went wrong on our side. It has been logged.", statusCode: 500)).ExcludeFromDescription();
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null); // our CSP already says frame-ancestors 'none'

    await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.Describe(ex) is { } reason)
{
    return StartupFailure.Report(reason);
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
