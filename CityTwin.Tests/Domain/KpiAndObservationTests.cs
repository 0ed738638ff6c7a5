using CityTwin.Domain;
using CityTwin.Domain.Kpis;
using CityTwin.Domain.Observations;

namespace CityTwin.Tests.Domain;

public sealed class KpiAndObservationTests
{
    private static KpiDefinition Kpi(KpiDirection direction) =>
        new("k", "KPI", "A test KPI.", "%", 80, direction, KpiPeriod.Yearly, true, false, false, tolerance: 0.1);

    [Theory]
    [InlineData(85, KpiStatus.OnTarget)]
    [InlineData(80, KpiStatus.OnTarget)]
    [InlineData(75, KpiStatus.NearTarget)]
    [InlineData(60, KpiStatus.OffTarget)]
    public void Evaluate_HigherIsBetter(double value, KpiStatus expected) =>
        Assert.Equal(expected, Kpi(KpiDirection.HigherIsBetter).Evaluate(value));

    [Theory]
    [InlineData(70, KpiStatus.OnTarget)]
    [InlineData(85, KpiStatus.NearTarget)]
    [InlineData(95, KpiStatus.OffTarget)]
    public void Evaluate_LowerIsBetter(double value, KpiStatus expected) =>
        Assert.Equal(expected, Kpi(KpiDirection.LowerIsBetter).Evaluate(value));

    [Fact]
    public void Kpi_WithInfiniteTarget_IsRefused() =>
        Assert.Throws<DomainException>(() => new KpiDefinition("k", "n", "d", "u", double.PositiveInfinity, KpiDirection.HigherIsBetter, KpiPeriod.Daily, true, false, false));

    [Fact]
    public void Budget_Negative_IsRefused() =>
        Assert.Throws<DomainException>(() => new RenewalBudget(2026, "Tree", -5));

    [Fact]
    public void Observation_OutsidePlausibleRange_IsRefusedNamingTheQuantity()
    {
        var ex = Assert.Throws<DomainException>(() => new Observation("urn:ngsi-ld:Device:1", ObservedQuantity.FillingLevel, DateTimeOffset.UnixEpoch, 1.7));
        Assert.Equal("fillingLevel", ex.Field);
    }

    [Fact]
    public void Observation_StoresTimeInUtc()
    {
        var o = new Observation("urn:ngsi-ld:Device:1", ObservedQuantity.Temperature, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(2)), 4.5);
        Assert.Equal(TimeSpan.Zero, o.ObservedAt.Offset);
        Assert.Equal(10, o.ObservedAt.Hour);
    }
}
