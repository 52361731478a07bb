namespace Transmission.Core.Pki;

/// <summary>The role named by a certificate's identity (<c>urn:transmission:&lt;role&gt;:&lt;id&gt;</c>).</summary>
public enum Role
{
    /// <summary>A polling station (<c>urn:transmission:station:&lt;code&gt;</c>): TLS client and signer.</summary>
    Station,

    /// <summary>A central verifier (<c>urn:transmission:verifier:&lt;id&gt;</c>): TLS client.</summary>
    Verifier,

    /// <summary>An auditor or observer (<c>urn:transmission:auditor:&lt;id&gt;</c>): TLS client.</summary>
    Auditor,

    /// <summary>Central itself (<c>urn:transmission:central:&lt;name&gt;</c>): TLS server and receipt/log signer; never a caller.</summary>
    Central,
}
