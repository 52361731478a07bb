using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Transmission.Core.Pki;

/// <summary>Certificate signing requests (PKCS #10) made on the device that holds the key.</summary>
public static class SigningRequests
{
    /// <summary>
    /// A PEM CSR for <paramref name="identity"/>, signed with <paramref name="key"/> (the private key never
    /// leaves the caller). It requests only the identity (one SAN URI); the CA chooses everything else.
    /// </summary>
    public static string CreatePem(ECDsa key, CallerIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(identity);
        var name = new X500DistinguishedNameBuilder();
        // The builder lists names most specific first, giving the conventional encoding O, OU, CN.
        name.AddCommonName(identity.Id);
        name.AddOrganizationalUnitName(CallerIdentity.RoleName(identity.Role));
        name.AddOrganizationName("Transmission");
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        if (!ElectionCa.IsP256(request.PublicKey))
        {
            throw new ArgumentException("The election PKI uses ECDSA P-256 keys only.", nameof(key));
        }

        request.CertificateExtensions.Add(SubjectAlternativeNames.Build(identity.Uri));
        return request.CreateSigningRequestPem();
    }
}
