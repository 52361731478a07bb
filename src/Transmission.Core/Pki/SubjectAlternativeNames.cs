using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>
/// Reads and writes the subjectAltName extension (RFC 5280 §4.2.1.6). .NET can build URI names but
/// only enumerates DNS names and IP addresses, so URIs are read here; names are written here too so the
/// URI is stored byte for byte as given (System.Uri would normalise it).
/// </summary>
internal static class SubjectAlternativeNames
{
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IpAddressTag = new(TagClass.ContextSpecific, 7);

    /// <summary>Builds a non-critical SAN extension with one URI and optional DNS names and IP addresses.</summary>
    public static X509Extension Build(string uri, IEnumerable<string>? dnsNames = null, IEnumerable<IPAddress>? ipAddresses = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
            foreach (var dns in dnsNames ?? [])
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, DnsNameTag);
            }

            foreach (var ip in ipAddresses ?? [])
            {
                writer.WriteOctetString(ip.GetAddressBytes(), IpAddressTag);
            }
        }

        return new X509Extension(PkiOids.SubjectAlternativeName, writer.Encode(), critical: false);
    }

    /// <summary>
    /// The URIs of the SAN extensions in <paramref name="extensions"/>; <see langword="null"/> when there is
    /// no SAN extension. Throws <see cref="AsnContentException"/> or <see cref="CryptographicException"/> when malformed.
    /// </summary>
    public static List<string>? ReadUris(IEnumerable<X509Extension> extensions, out int extensionCount)
    {
        List<string>? uris = null;
        extensionCount = 0;
        foreach (var extension in extensions)
        {
            if (extension.Oid?.Value != PkiOids.SubjectAlternativeName)
            {
                continue;
            }

            extensionCount++;
            uris ??= [];
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(UriTag) && !tag.IsConstructed)
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }

        return uris;
    }
}
