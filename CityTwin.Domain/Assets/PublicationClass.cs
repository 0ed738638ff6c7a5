namespace CityTwin.Domain.Assets;

/// <summary>Who may see a piece of data. Ordered from least to most restricted.</summary>
public enum PublicationClass
{
    /// <summary>Published: public portal, open data, anonymous API reads, OGC API.</summary>
    Public = 0,

    /// <summary>Staff and authorised machine clients only.</summary>
    Internal = 1,

    /// <summary>Personal data (GDPR): staff with a need to know; never exported openly.</summary>
    Personal = 2,
}

public static class PublicationClassExtensions
{
    /// <summary>The stricter of two classes: an attribute is never more public than its asset.</summary>
    public static PublicationClass Strictest(this PublicationClass a, PublicationClass b) => a >= b ? a : b;
}
