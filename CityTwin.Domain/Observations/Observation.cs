namespace CityTwin.Domain.Observations;

/// <summary>One measurement of a quantity by a sensor (or about an asset) at a moment.</summary>
public readonly record struct Observation
{
    public Observation(string sourceId, ObservedQuantity quantity, DateTimeOffset observedAt, double value)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        if (string.IsNullOrWhiteSpace(sourceId))
        {
            throw new DomainException("sourceId", "An observation needs the id of its sensor or asset.");
        }

        if (!quantity.IsPlausible(value))
        {
            throw new DomainException(quantity.Code, $"{quantity.Label} value {value} is outside {quantity.Minimum}..{quantity.Maximum} {quantity.UnitLabel}.");
        }

        SourceId = sourceId;
        Quantity = quantity;
        ObservedAt = observedAt.ToUniversalTime();
        Value = value;
    }

    public string SourceId { get; }

    public ObservedQuantity Quantity { get; }

    public DateTimeOffset ObservedAt { get; }

    public double Value { get; }
}
