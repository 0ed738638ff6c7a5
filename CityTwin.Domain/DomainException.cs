namespace CityTwin.Domain;

/// <summary>A domain rule was broken. <see cref="Field"/> names the offending field when there is one.</summary>
public sealed class DomainException : Exception
{
    public DomainException(string message) : base(message) { }

    public DomainException(string field, string message) : base(message) => Field = field;

    public DomainException(string message, Exception innerException) : base(message, innerException) { }

    public DomainException() { }

    public string? Field { get; }
}
