namespace Transmission.Core.Election;

/// <summary>The period on election night during which stations transmit. Invariant: <see cref="OpensAt"/> &lt; <see cref="ClosesAt"/>.</summary>
/// <param name="OpensAt">When transmission opens (inclusive).</param>
/// <param name="ClosesAt">When transmission closes (exclusive).</param>
public sealed record NightWindow(DateTimeOffset OpensAt, DateTimeOffset ClosesAt)
{
    /// <summary>Whether <paramref name="time"/> lies in [<see cref="OpensAt"/>, <see cref="ClosesAt"/>).</summary>
    public bool Contains(DateTimeOffset time) => time >= OpensAt && time < ClosesAt;
}
