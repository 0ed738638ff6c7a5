using Microsoft.Extensions.Options;

namespace CityTwin.Web.Infrastructure;

public static class OptionsRegistration
{
    /// <summary>Binds every CityTwin options section and validates it when the host starts.</summary>
    public static IHostApplicationBuilder AddCityTwinOptions(this IHostApplicationBuilder builder)
    {
        Bind<DatabaseOptions, DatabaseOptionsValidator>(builder, DatabaseOptions.Section);
        Bind<SeedOptions, SeedOptionsValidator>(builder, SeedOptions.Section);
        Bind<SecurityOptions, SecurityOptionsValidator>(builder, SecurityOptions.Section);
        Bind<MapOptions, MapOptionsValidator>(builder, MapOptions.Section);
        Bind<ImportOptions, ImportOptionsValidator>(builder, ImportOptions.Section);
        Bind<Features.JsonLd.JsonLdOptions, Features.JsonLd.JsonLdOptionsValidator>(builder, Features.JsonLd.JsonLdOptions.Section);
        Bind<Features.NgsiLd.NgsiLdOptions, Features.NgsiLd.NgsiLdOptionsValidator>(builder, Features.NgsiLd.NgsiLdOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    private static void Bind<TOptions, TValidator>(IHostApplicationBuilder builder, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
