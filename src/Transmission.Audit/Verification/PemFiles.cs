using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Transmission.Audit.Verification;

/// <summary>Reads the bundle's PEM files: exactly one block with the expected label, nothing but white space around it.</summary>
internal static class PemFiles
{
    /// <summary>The DER of the single <paramref name="label"/> block of <paramref name="pem"/>, or <see langword="null"/>.</summary>
    public static byte[]? SingleBlock(ReadOnlySpan<byte> pem, string label)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(pem);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        if (!PemEncoding.TryFind(text, out var fields) || text[fields.Label] != label
            || !string.IsNullOrWhiteSpace(text[..fields.Location.Start.Value]) || !string.IsNullOrWhiteSpace(text[fields.Location.End.Value..]))
        {
            return null;
        }

        var der = new byte[fields.DecodedDataLength];
        return Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out var written) && written == der.Length ? der : null;
    }

    /// <summary>The certificate of a PEM file with one <c>CERTIFICATE</c> block whose DER is exactly one certificate, or <see langword="null"/>.</summary>
    public static X509Certificate2? Certificate(ReadOnlySpan<byte> pem)
    {
        var der = SingleBlock(pem, "CERTIFICATE");
        if (der is null)
        {
            return null;
        }

        try
        {
            var certificate = X509CertificateLoader.LoadCertificate(der);
            if (certificate.RawDataMemory.Span.SequenceEqual(der))
            {
                return certificate;
            }

            certificate.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
