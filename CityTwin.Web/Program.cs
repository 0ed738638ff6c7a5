using CityTwin.Web.Components;
using CityTwin.Web.Data;
using CityTwin.Web.Features.Assets;
using CityTwin.Web.Features.DemoCity;
using CityTwin.Web.Features.Health;
using CityTwin.Web.Features.Portal;
using CityTwin.Web.Features.Security;
using CityTwin.Web.Infrastructure;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
WebApplication app;
try
{
    builder.AddCityTwinOptions();
    builder.AddCityTwinData();
    builder.AddCityTwinSecurity();
    builder.AddCityTwinLocalization();
    builder.AddCityTwinHealth();

    builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    builder.Services.AddMudServices();
    builder.Services.AddProblemDetails();
    builder.Services.AddAntiforgery();
    builder.Services.AddSingleton<AssetQueryService>();
    builder.Services.AddSingleton<DemoCitySeeder>();

    app = builder.Build();
}
catch (StartupException ex)
{
    return StartupFailure.Report(ex);
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found");
app.UseSecurityHeaders();
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapCityTwinHealth();
app.MapAccountEndpoints();
app.MapCultureEndpoints();
app.MapAssetEndpoints();
app.MapGet("/error", () => Results.Problem("Something went wrong on our side. It has been logged.", statusCode: 500)).ExcludeFromDescription();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

return await StartupFailure.RunAsync(app, async ct =>
    await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct));

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
