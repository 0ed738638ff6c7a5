using System.Globalization;
using System.Text.Json;
using CityTwin.Web.Features.JsonLd;

namespace CityTwin.Web.Features.NgsiLd;

/// <summary>The temporal representations of 4.5.7–4.5.19: normalized instances, temporalValues, aggregatedValues.</summary>
public enum TemporalFormat
{
    Normalized,
    TemporalValues,
    Aggregated,
}

/// <summary>The aggregation functions of 4.5.19.</summary>
public enum AggregationMethod
{
    TotalCount,
    DistinctCount,
    Sum,
    Avg,
    Min,
    Max,
    Stddev,
    Sumsq,
}

/// <summary>
/// A temporal query (4.11 and 5.7.3/5.7.4): the time relation (<c>before</c>: t &lt; timeAt, <c>after</c>: t &gt; timeAt,
/// <c>between</c>: timeAt ≤ t &lt; endTimeAt) on observedAt, <c>lastN</c>, and the representation asked for.
/// </summary>
public sealed record NgsiTemporalQuery(string? TimeRel, DateTimeOffset? TimeAt, DateTimeOffset? EndTimeAt, int? LastN, TemporalFormat Format,
    IReadOnlyList<AggregationMethod> Methods, TimeSpan? Period)
{
    /// <summary>Unix seconds: the first instant included (inclusive) and the first instant excluded.</summary>
    public (long From, long To) Range => TimeRel switch
    {
        "before" => (long.MinValue, TimeAt!.Value.ToUnixTimeSeconds()),
        "after" => (TimeAt!.Value.ToUnixTimeSeconds() + 1, long.MaxValue),
        "between" => (TimeAt!.Value.ToUnixTimeSeconds(), EndTimeAt!.Value.ToUnixTimeSeconds()),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>Parses the temporal members of a query string or of a Query body's <c>temporalQ</c> (same names).</summary>
    public static NgsiTemporalQuery Parse(Func<string, string?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var timeRel = value("timerel");
        if (timeRel is not (null or "before" or "after" or "between"))
        {
            throw NgsiLdException.BadData($"timerel is before, after or between, not '{timeRel}'.");
        }

        var timeAt = Instant(value("timeAt") ?? value("time"), "timeAt");
        var endTimeAt = Instant(value("endTimeAt") ?? value("endTime"), "endTimeAt");
        if (timeRel is not null && timeAt is null)
        {
            throw NgsiLdException.BadData($"timerel={timeRel} needs timeAt.");
        }

        if (timeRel is null && timeAt is not null)
        {
            throw NgsiLdException.BadData("timeAt needs timerel (before, after or between).");
        }

        if (timeRel == "between" && (endTimeAt is null || endTimeAt <= timeAt))
        {
            throw NgsiLdException.BadData(endTimeAt is null ? "timerel=between needs endTimeAt." : "endTimeAt must be after timeAt.");
        }

        if (value("timeproperty") is { } property && property != "observedAt")
        {
            throw NgsiLdException.BadData($"timeproperty '{property}': the registry's time series are observations, queried on observedAt.");
        }

        int? lastN = value("lastN") is { } n
            ? int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last > 0 ? last
                : throw NgsiLdException.BadData($"lastN must be a positive whole number, not '{n}'.")
            : null;

        var format = TemporalFormat.Normalized;
        foreach (var option in Split(value("options")).Concat(Split(value("format"))))
        {
            format = option switch
            {
                "temporalValues" => TemporalFormat.TemporalValues,
                "aggregatedValues" => TemporalFormat.Aggregated,
                "sysAttrs" or "normalized" => format,
                _ => throw NgsiLdException.BadData($"Unknown temporal option '{option}' (temporalValues, aggregatedValues, sysAttrs)."),
            };
        }

        var methods = Split(value("aggrMethods")).Select(m => MethodNames.TryGetValue(m, out var method) ? method
            : throw NgsiLdException.BadData($"Unknown aggregation method '{m}' ({string.Join(", ", MethodNames.Keys)}).")).Distinct().ToList();
        if (format == TemporalFormat.Aggregated && methods.Count == 0)
        {
            throw NgsiLdException.BadData("options=aggregatedValues needs aggrMethods.");
        }

        TimeSpan? period = null;
        if (value("aggrPeriodDuration") is { } duration)
        {
            try
            {
                period = System.Xml.XmlConvert.ToTimeSpan(duration);
            }
            catch (FormatException)
            {
                throw NgsiLdException.BadData($"aggrPeriodDuration '{duration}' is not an ISO 8601 duration (e.g. PT1H, P1D).");
            }

            if (period < TimeSpan.Zero)
            {
                throw NgsiLdException.BadData("aggrPeriodDuration cannot be negative.");
            }

            if (period == TimeSpan.Zero)
            {
                period = null; // P0D: one period over the whole range
            }
        }

        return new NgsiTemporalQuery(timeRel, timeAt, endTimeAt, lastN, format, methods, period);
    }

    private static readonly Dictionary<string, AggregationMethod> MethodNames = Enum.GetValues<AggregationMethod>()
        .ToDictionary(m => JsonNamingPolicy.CamelCase.ConvertName(m.ToString()), m => m, StringComparer.Ordinal);

    /// <summary>The name of an aggregation method in NGSI-LD (totalCount, avg…).</summary>
    public static string NameOf(AggregationMethod method) => MethodNames.First(m => m.Value == method).Key;

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static DateTimeOffset? Instant(string? text, string name) =>
        text is null ? null
        : text.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at
        : throw NgsiLdException.BadData($"{name} is an ISO 8601 date-time such as 2026-11-28T08:00:00Z, not '{text}'.");

    /// <summary>The aggregated values of one period.</summary>
    public static double Aggregate(AggregationMethod method, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return method switch
        {
            AggregationMethod.TotalCount => values.Count,
            AggregationMethod.DistinctCount => values.Distinct().Count(),
            AggregationMethod.Sum => values.Sum(),
            AggregationMethod.Avg => values.Average(),
            AggregationMethod.Min => values.Min(),
            AggregationMethod.Max => values.Max(),
            AggregationMethod.Sumsq => values.Sum(v => v * v),
            AggregationMethod.Stddev => StandardDeviation(values),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    /// <summary>The periods of an aggregation: from the range start (or the first instance) in steps of the period.</summary>
    public IEnumerable<(long Start, long End, List<double> Values)> Periods(IReadOnlyList<(long At, double Value)> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0)
        {
            yield break;
        }

        var (from, to) = Range;
        // Periods start at timeAt (for "after" too, whose first included instant is one second later).
        var start = TimeAt is { } at ? at.ToUnixTimeSeconds() : instances[0].At;
        var end = to == long.MaxValue ? instances[^1].At + 1 : to;
        var step = Period is { } p ? Math.Max(1, (long)p.TotalSeconds) : Math.Max(1, end - start);
        var i = 0;
        for (var periodStart = start; periodStart < end && i < instances.Count; periodStart += step)
        {
            var periodEnd = periodStart + step;
            var values = new List<double>();
            while (i < instances.Count && instances[i].At < periodEnd)
            {
                if (instances[i].At >= periodStart)
                {
                    values.Add(instances[i].Value);
                }

                i++;
            }

            if (values.Count > 0)
            {
                yield return (periodStart, periodEnd, values);
            }
        }
    }
}

/// <summary>An entity's time series as read for a temporal request: one per observed attribute.</summary>
public sealed record TemporalAttribute(string Iri, string UnitCode, IReadOnlyList<(long At, double Value)> Instances, bool Truncated);

/// <summary>Writes the temporal representation of an entity.</summary>
public static class NgsiTemporalWriter
{
    public static string Instant(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void Write(Utf8JsonWriter w, NgsiEntity entity, IReadOnlyList<TemporalAttribute> attributes, NgsiTemporalQuery query, JsonLdContext context, System.Text.Json.Nodes.JsonNode? bodyContext)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(context);
        w.WriteStartObject();
        w.WriteString("id", entity.Id);
        w.WriteString("type", context.Compact(entity.Types[0]));
        foreach (var attribute in attributes)
        {
            w.WritePropertyName(context.Compact(attribute.Iri));
            switch (query.Format)
            {
                case TemporalFormat.TemporalValues:
                    w.WriteStartObject();
                    w.WriteString("type", NgsiTerms.Property);
                    w.WriteStartArray("values");
                    foreach (var (at, value) in attribute.Instances)
                    {
                        w.WriteStartArray();
                        w.WriteNumberValue(value);
                        w.WriteStringValue(Instant(at));
                        w.WriteEndArray();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                case TemporalFormat.Aggregated:
                    w.WriteStartObject();
                    w.WriteString("type", NgsiTerms.Property);
                    var periods = query.Periods(attribute.Instances).ToList();
                    foreach (var method in query.Methods)
                    {
                        w.WriteStartArray(NgsiTemporalQuery.NameOf(method));
                        foreach (var (start, end, values) in periods)
                        {
                            w.WriteStartArray();
                            w.WriteNumberValue(NgsiTemporalQuery.Aggregate(method, values));
                            w.WriteStringValue(Instant(start));
                            w.WriteStringValue(Instant(end));
                            w.WriteEndArray();
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                    break;
                default:
                    w.WriteStartArray();
                    foreach (var (at, value) in attribute.Instances)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", NgsiTerms.Property);
                        w.WriteNumber("value", value);
                        w.WriteString("observedAt", Instant(at));
                        if (attribute.UnitCode.Length > 0)
                        {
                            w.WriteString("unitCode", attribute.UnitCode);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    break;
            }
        }

        if (bodyContext is not null)
        {
            w.WritePropertyName("@context");
            bodyContext.WriteTo(w);
        }

        w.WriteEndObject();
    }
}
