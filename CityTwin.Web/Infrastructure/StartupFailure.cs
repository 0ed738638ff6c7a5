using Microsoft.Extensions.Options;

namespace CityTwin.Web.Infrastructure;

/// <summary>
/// Turns a configuration or database problem at start-up into one clear log line naming the setting and exit code 1 —
/// never a stack trace, and never a half-started server.
/// </summary>
public static class StartupFailure
{
    public static int Report(string reason)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        loggers.CreateLogger("CityTwin.Startup").LogCritical("CityTwin cannot start: {Reason}", reason);
        return 1;
    }

    /// <summary>The one-line reason for a start-up failure, or null when the exception is not a start-up problem.</summary>
    public static string? Describe(Exception ex) => ex switch
    {
        StartupException s => s.Message,
        OptionsValidationException o => string.Join(" ", o.Failures),
        InvalidOperationException i when i.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => i.Message,
        AggregateException a when a.InnerExceptions.All(e => Describe(e) is not null) => string.Join(" ", a.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };
}
