namespace Transmission.Core.Pki;

/// <summary>Validity periods the election CA applies. The CA decides validity; a CSR cannot ask for it.</summary>
public sealed record IssuancePolicy
{
    /// <summary>Lifetime of the root certificate. Defaults to 3 years (an election cycle plus disputes).</summary>
    public TimeSpan RootLifetime { get; init; } = TimeSpan.FromDays(3 * 365);

    /// <summary>Lifetime of end-entity certificates, capped by the root's expiry. Defaults to 365 days.</summary>
    public TimeSpan LeafLifetime { get; init; } = TimeSpan.FromDays(365);

    /// <summary>How far notBefore is set in the past, for devices whose clocks run behind. Defaults to 5 minutes.</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time from a CRL's thisUpdate to its nextUpdate. Defaults to 7 days.</summary>
    public TimeSpan CrlLifetime { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The defaults.</summary>
    public static IssuancePolicy Default { get; } = new();
}
