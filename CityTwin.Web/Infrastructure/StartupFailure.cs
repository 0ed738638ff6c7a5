using Microsoft.Extensions.Options;

namespace CityTwin.Web.Infrastructure;

/// <summary>
/// Turns a configuration or database problem at start-up into one clear log line naming the setting and exit code 1 —
/// never a stack trace, and never a half-started server.
/// </summary>
public static class StartupFailure
{
    public static async Task<int> RunAsync(WebApplication app, Func<CancellationToken, Task> initialize)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(initialize);
        try
        {
            // Validate every option first (ValidateOnStart would only run on StartAsync), then prepare the database.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            await initialize(app.Lifetime.ApplicationStopping);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CityTwin.Startup")
                .LogCritical("CityTwin cannot start: {Reason}", message);
            return 1;
        }
    }

    public static int Report(StartupException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        loggers.CreateLogger("CityTwin.Startup").LogCritical("CityTwin cannot start: {Reason}", ex.Message);
        return 1;
    }

    /// <summary>The one-line reason for a start-up failure, or null when the exception is not a start-up problem.</summary>
    internal static string? Describe(Exception ex) => ex switch
    {
        StartupException s => s.Message,
        OptionsValidationException o => string.Join(" ", o.Failures),
        InvalidOperationException i when i.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => i.Message,
        AggregateException a when a.InnerExceptions.All(e => Describe(e) is not null) => string.Join(" ", a.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };
}
