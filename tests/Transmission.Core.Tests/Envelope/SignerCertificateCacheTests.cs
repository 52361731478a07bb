using Transmission.Core.Envelope;
using Transmission.Core.Pki;
using Transmission.Core.Tests.Pki;

namespace Transmission.Core.Tests.Envelope;

public sealed class SignerCertificateCacheTests
{
    private readonly TestPki _pki = new();

    [Fact]
    public void Add_MoreThanCapacity_StaysBounded()
    {
        var cache = new SignerCertificateCache(capacity: 4);

        foreach (var certificate in Parse(10))
        {
            cache.Add(certificate);
            Assert.InRange(cache.Count, 1, 4);
        }
    }

    [Fact]
    public void TryGet_EntryInUse_SurvivesGenerations()
    {
        var cache = new SignerCertificateCache(capacity: 4);
        var certificates = Parse(8);
        var hot = certificates[0];
        cache.Add(hot);

        foreach (var other in certificates.Skip(1))
        {
            Assert.True(cache.TryGet(hot.Sha256, out var found));
            Assert.Same(hot, found);
            cache.Add(other);
        }

        Assert.True(cache.TryGet(hot.Sha256, out _));
        Assert.False(cache.TryGet(certificates[1].Sha256, out _));
    }

    [Fact]
    public void TryParse_TrailingByte_Refused()
    {
        using var issued = _pki.Issue(CertificateProfile.StationSigning);

        Assert.False(SignerCertificate.TryParse([.. issued.RawData, 0x00], out _));
        Assert.True(SignerCertificate.TryParse(issued.RawData, out var parsed));
        Assert.True(parsed.IsP256);
    }

    private List<SignerCertificate> Parse(int count)
    {
        var list = new List<SignerCertificate>();
        for (var i = 0; i < count; i++)
        {
            using var issued = _pki.Issue(CertificateProfile.StationSigning, $"ST-{i:D4}");
            Assert.True(SignerCertificate.TryParse(issued.RawData, out var parsed));
            list.Add(parsed);
        }

        return list;
    }
}
