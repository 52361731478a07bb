using System.Collections.Frozen;
using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>
/// A CRL (RFC 5280 §5) whose signature has been checked against the election root, indexed by serial number.
/// </summary>
/// <remarks>
/// The CRL is decoded here rather than handed to <see cref="X509Chain"/>: offline CRL checking through the
/// chain engine on Linux goes through its own on-disk CRL cache and may try to download, which is not
/// reliable for an offline election root; and .NET has no public API to enumerate a CRL's entries.
/// </remarks>
public sealed class RevocationList
{
    private readonly FrozenDictionary<string, RevocationEntry> _entries;

    private RevocationList(string issuerThumbprint, BigInteger number, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, IEnumerable<RevocationEntry> entries, byte[] rawData)
    {
        IssuerThumbprint = issuerThumbprint;
        RawData = rawData;
        Number = number;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        // A serial listed twice keeps its earliest revocation.
        _entries = entries
            .GroupBy(e => e.SerialNumber, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.MinBy(e => e.RevokedAt)!, StringComparer.Ordinal);
    }

    /// <summary>SHA-256 (hex) of the DER of the root the signature was checked against.</summary>
    public string IssuerThumbprint { get; }

    /// <summary>The DER encoding exactly as loaded (empty for <see cref="Empty"/>).</summary>
    public ReadOnlyMemory<byte> RawData { get; }

    /// <summary>The cRLNumber (0 when the CRL has none).</summary>
    public BigInteger Number { get; }

    /// <summary>When the CRL was issued.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the next CRL is due, if stated.</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The revoked certificates.</summary>
    public IReadOnlyCollection<RevocationEntry> Entries => _entries.Values;

    /// <summary>Whether the CRL is past its nextUpdate at <paramref name="at"/>.</summary>
    public bool IsStale(DateTimeOffset at) => NextUpdate is { } next && at > next;

    /// <summary>The entry for a certificate, if it is listed.</summary>
    public RevocationEntry? Find(X509Certificate2 certificate) =>
        _entries.GetValueOrDefault(RevocationEntry.CanonicalSerial(certificate));

    /// <summary>The entry for a canonical serial (see <see cref="RevocationEntry.CanonicalSerial(ReadOnlySpan{byte})"/>), if listed.</summary>
    public RevocationEntry? Find(string canonicalSerial) => _entries.GetValueOrDefault(canonicalSerial);

    /// <summary>Decodes a PEM <c>X509 CRL</c> and checks it was signed by <paramref name="issuer"/>.</summary>
    public static PkiResult<RevocationList> LoadPem(string pem, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not "X509 CRL")
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlMalformed, "no PEM 'X509 CRL' block");
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out _))
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlMalformed, "the PEM body is not base64");
        }

        return Load(der, issuer);
    }

    /// <summary>
    /// Decodes a DER CRL and checks it was signed by <paramref name="issuer"/> with ECDSA-SHA256 and names it as issuer.
    /// Fails with <c>CRL_MALFORMED</c> or <c>CRL_UNTRUSTED</c>.
    /// </summary>
    public static PkiResult<RevocationList> Load(ReadOnlyMemory<byte> der, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            return Decode(der, issuer);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or OverflowException or ArgumentException)
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlMalformed, "the CRL cannot be decoded");
        }
    }

    /// <summary>An empty list for <paramref name="issuer"/> (no CRL loaded: nothing is revoked).</summary>
    public static RevocationList Empty(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return new RevocationList(Thumbprint(issuer), BigInteger.Zero, DateTimeOffset.MinValue, null, [], []);
    }

    internal static string Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private static PkiResult<RevocationList> Decode(ReadOnlyMemory<byte> der, X509Certificate2 issuer)
    {
        // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsEncoded = certList.PeekEncodedValue();
        var tbs = certList.ReadSequence();
        var signatureAlgorithm = ReadAlgorithm(certList);
        var signature = certList.ReadBitString(out var unusedBits);
        certList.ThrowIfNotEmpty();

        if (signatureAlgorithm != PkiOids.EcdsaWithSha256 || unusedBits != 0)
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlUntrusted, "the CRL is not signed with ECDSA-SHA256");
        }

        using (var key = issuer.GetECDsaPublicKey())
        {
            if (key is null || !key.VerifyData(tbsEncoded.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                return PkiResult<RevocationList>.Fail(PkiFailure.CrlUntrusted, "the CRL signature does not verify with the election root");
            }
        }

        // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL,
        //   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL } OPTIONAL,
        //   crlExtensions [0] EXPLICIT Extensions OPTIONAL }
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        if (ReadAlgorithm(tbs) != signatureAlgorithm)
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlMalformed, "the CRL's two signature algorithms differ");
        }

        var issuerName = tbs.ReadEncodedValue();
        if (!issuerName.Span.SequenceEqual(issuer.SubjectName.RawData))
        {
            return PkiResult<RevocationList>.Fail(PkiFailure.CrlUntrusted, "the CRL names another issuer");
        }

        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var entries = new List<RevocationEntry>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                var serial = entry.ReadIntegerBytes();
                var revokedAt = ReadTime(entry);
                X509RevocationReason? reason = null;
                if (entry.HasData)
                {
                    foreach (var (oid, value) in ReadExtensions(entry.ReadSequence()))
                    {
                        if (oid == PkiOids.CrlReason)
                        {
                            var reasonReader = new AsnReader(value, AsnEncodingRules.DER);
                            reason = (X509RevocationReason)(int)reasonReader.ReadEnumeratedValue<CrlReasonCode>();
                            reasonReader.ThrowIfNotEmpty();
                        }
                    }
                }

                entry.ThrowIfNotEmpty();
                entries.Add(new RevocationEntry(RevocationEntry.CanonicalSerial(serial.Span), revokedAt, reason));
            }
        }

        var number = BigInteger.Zero;
        if (tbs.HasData)
        {
            var explicitExtensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            foreach (var (oid, value) in ReadExtensions(explicitExtensions.ReadSequence()))
            {
                if (oid == PkiOids.CrlNumber)
                {
                    var numberReader = new AsnReader(value, AsnEncodingRules.DER);
                    number = numberReader.ReadInteger();
                    numberReader.ThrowIfNotEmpty();
                }
            }

            explicitExtensions.ThrowIfNotEmpty();
        }

        tbs.ThrowIfNotEmpty();
        return PkiResult<RevocationList>.Success(new RevocationList(Thumbprint(issuer), number, thisUpdate, nextUpdate, entries, der.ToArray()));
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        // ECDSA algorithm identifiers have absent parameters (RFC 5758 §3.2); anything else is rejected by the OID check.
        if (algorithm.HasData)
        {
            algorithm.ReadEncodedValue();
        }

        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private static IEnumerable<(string Oid, byte[] Value)> ReadExtensions(AsnReader extensions)
    {
        var result = new List<(string, byte[])>();
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var oid = extension.ReadObjectIdentifier();
            if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
            {
                extension.ReadBoolean();
            }

            result.Add((oid, extension.ReadOctetString()));
            extension.ThrowIfNotEmpty();
        }

        return result;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();

    // ReadEnumeratedValue needs an enum type of its own; values are those of RFC 5280 §5.3.1.
    private enum CrlReasonCode
    {
        Unspecified = 0,
        KeyCompromise = 1,
        CaCompromise = 2,
        AffiliationChanged = 3,
        Superseded = 4,
        CessationOfOperation = 5,
        CertificateHold = 6,
        RemoveFromCrl = 8,
        PrivilegeWithdrawn = 9,
        AaCompromise = 10,
    }
}
