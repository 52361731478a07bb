using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>
/// Who a certificate speaks for, read from its single subjectAltName URI
/// <c>urn:transmission:&lt;role&gt;:&lt;id&gt;</c> (role: <c>station</c>, <c>verifier</c>, <c>auditor</c>, <c>central</c>).
/// </summary>
/// <remarks>
/// Parsing is deliberately strict and case-sensitive: the CA only ever writes the lower-case prefix and role,
/// so any other spelling is refused rather than normalised (two spellings must never name one station).
/// Ids are 1–64 characters of <c>[A-Za-z0-9._-]</c> starting with a letter or digit, so an id is also a
/// safe file name (no <c>..</c>, no separators).
/// </remarks>
public sealed record CallerIdentity
{
    /// <summary>The prefix of every identity URI.</summary>
    public const string UriPrefix = "urn:transmission:";

    /// <summary>The longest id accepted.</summary>
    public const int MaxIdLength = 64;

    private CallerIdentity(Role role, string id)
    {
        Role = role;
        Id = id;
        Uri = UriPrefix + RoleName(role) + ":" + id;
    }

    /// <summary>The role.</summary>
    public Role Role { get; }

    /// <summary>The station code, or the verifier's, auditor's or Central instance's id.</summary>
    public string Id { get; }

    /// <summary>The canonical URI, e.g. <c>urn:transmission:station:ST-0001</c>.</summary>
    public string Uri { get; }

    /// <summary>An identity from a role and an id; fails with <c>IDENTITY_MALFORMED</c> for an unsafe id.</summary>
    public static PkiResult<CallerIdentity> Create(Role role, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, null);
        }

        return IsValidId(id)
            ? PkiResult<CallerIdentity>.Success(new CallerIdentity(role, id))
            : PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMalformed, $"id '{Printable(id)}' is not 1-{MaxIdLength} characters of [A-Za-z0-9._-] starting with a letter or digit");
    }

    /// <summary>Parses <c>urn:transmission:&lt;role&gt;:&lt;id&gt;</c>; fails with <c>IDENTITY_MALFORMED</c>.</summary>
    public static PkiResult<CallerIdentity> Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(UriPrefix, StringComparison.Ordinal))
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMalformed, $"'{Printable(uri)}' does not start with '{UriPrefix}'");
        }

        var rest = uri.AsSpan(UriPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon < 0)
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMalformed, $"'{Printable(uri)}' has no role");
        }

        Role? role = rest[..colon] switch
        {
            "station" => Role.Station,
            "verifier" => Role.Verifier,
            "auditor" => Role.Auditor,
            "central" => Role.Central,
            _ => null,
        };
        if (role is null)
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMalformed, $"'{Printable(uri)}' names an unknown role");
        }

        return Create(role.Value, rest[(colon + 1)..].ToString());
    }

    /// <summary>The identity in a certificate's subjectAltName: exactly one URI is required.</summary>
    public static PkiResult<CallerIdentity> FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromExtensions(certificate.Extensions);
    }

    /// <summary>
    /// The identity in a set of extensions (a certificate's, or those requested in a CSR):
    /// <c>IDENTITY_MISSING</c> without a URI, <c>IDENTITY_MULTIPLE</c> with more than one, <c>IDENTITY_MALFORMED</c> otherwise.
    /// </summary>
    public static PkiResult<CallerIdentity> FromExtensions(IEnumerable<X509Extension> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        List<string>? uris;
        int sanCount;
        try
        {
            uris = SubjectAlternativeNames.ReadUris(extensions, out sanCount);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMalformed, "the subjectAltName extension cannot be decoded");
        }

        if (sanCount > 1)
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMultiple, $"{sanCount} subjectAltName extensions");
        }

        if (uris is null || uris.Count == 0)
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMissing, "no subjectAltName URI");
        }

        if (uris.Count > 1)
        {
            return PkiResult<CallerIdentity>.Fail(PkiFailure.IdentityMultiple, $"{uris.Count} subjectAltName URIs");
        }

        return Parse(uris[0]);
    }

    /// <summary>Whether <paramref name="id"/> is 1–64 characters of <c>[A-Za-z0-9._-]</c> starting with a letter or digit.</summary>
    public static bool IsValidId(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The URI form of a role: <c>station</c>, <c>verifier</c>, <c>auditor</c> or <c>central</c>.</summary>
    public static string RoleName(Role role) => role switch
    {
        Role.Station => "station",
        Role.Verifier => "verifier",
        Role.Auditor => "auditor",
        Role.Central => "central",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <inheritdoc/>
    public override string ToString() => Uri;

    // Input echoed into a detail message is bounded and stripped of control characters (log injection).
    private static string Printable(string value)
    {
        var cut = value.Length > 100 ? value[..100] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
