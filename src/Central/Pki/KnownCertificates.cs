using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Transmission.Contracts.Mapping;
using Transmission.Core.Pki;
using Transmission.Central.Storage;

namespace Transmission.Central.Pki;

/// <summary>
/// Which identity a certificate serial belongs to, as far as Central has seen: TLS client certificates accepted at a
/// handshake, and signer certificates of envelopes it verified or stored. Used to name the subject of a logged
/// revocation (<c>LoggedRevocation.subject_uri</c>); Central does not have the CA's list of issued certificates, so a
/// serial it never saw stays unnamed.
/// </summary>
/// <remarks>
/// In memory and bounded (cleared when full, like <see cref="ElectionTrust"/>'s cache); after a restart the TLS
/// certificates are forgotten until their holders connect again, and signer certificates are found again in the
/// stored envelopes (<see cref="ResolveAsync"/>). Only certificates the election trust accepted are remembered, so a
/// foreign certificate cannot claim a serial's name.
/// </remarks>
public sealed class KnownCertificates
{
    /// <summary>Serials remembered before the directory is cleared. Defaults to 1,048,576 (two per station of a large country).</summary>
    public const int DefaultCapacity = 1 << 20;

    private readonly ConcurrentDictionary<string, string> _uris = new(StringComparer.Ordinal);
    private readonly int _capacity;

    /// <summary>A directory of at most <paramref name="capacity"/> serials.</summary>
    public KnownCertificates(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Remembers that <paramref name="certificate"/> (accepted by the election trust) names <paramref name="identity"/>.</summary>
    public void Remember(X509Certificate2 certificate, CallerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(identity);
        var serial = RevocationEntry.CanonicalSerial(certificate);
        if (_uris.ContainsKey(serial))
        {
            return;
        }

        if (_uris.Count >= _capacity)
        {
            _uris.Clear();
        }

        _uris[serial] = identity.Uri;
    }

    /// <summary>The identity URI of the certificate with canonical serial <paramref name="serial"/>, if Central has seen it since start-up.</summary>
    public string? Find(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        return _uris.GetValueOrDefault(serial);
    }

    /// <summary>The identity URI of each serial in <paramref name="serials"/> Central has seen; unknown serials are absent.</summary>
    /// <param name="serials">Canonical serials (see <see cref="RevocationEntry.CanonicalSerial(string)"/>).</param>
    /// <param name="stored">The stored submissions, searched for signer certificates of serials not seen since start-up.</param>
    /// <param name="trust">The trust the signer certificates must chain to.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> serials, SubmissionQueries stored, ElectionTrust trust, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serials);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(trust);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var serial in serials)
        {
            if (_uris.TryGetValue(serial, out var uri))
            {
                found[serial] = uri;
            }
            else
            {
                missing.Add(serial);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        // Rare (a CRL naming serials not seen since start-up) and off every hot path: one envelope per distinct chair
        // certificate, every signature in it looked at, until every serial is named.
        await foreach (var envelopeBytes in stored.EnvelopesPerSignerAsync(cancellationToken))
        {
            var parsed = EnvelopeMapping.Parse(envelopeBytes);
            if (parsed.Envelope is not { } envelope)
            {
                continue;
            }

            foreach (var signature in envelope.Signatures)
            {
                X509Certificate2 certificate;
                try
                {
                    certificate = X509CertificateLoader.LoadCertificate(signature.CertificateDer.Span);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    continue;
                }

                using (certificate)
                {
                    var serial = RevocationEntry.CanonicalSerial(certificate);
                    // At the certificate's own notBefore: only the chain, usage and identity matter here, not the time.
                    if (missing.Contains(serial)
                        && trust.Validate(certificate, CertificatePurpose.Signing, new DateTimeOffset(certificate.NotBefore.ToUniversalTime())) is { IsSuccess: true } valid)
                    {
                        found[serial] = valid.Value.Uri;
                        missing.Remove(serial);
                        Remember(certificate, valid.Value);
                    }
                }
            }

            if (missing.Count == 0)
            {
                break;
            }
        }

        return found;
    }
}
