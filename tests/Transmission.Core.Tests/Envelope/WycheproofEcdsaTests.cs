using System.Security.Cryptography;
using System.Text.Json;
using Transmission.Core.Envelope;

namespace Transmission.Core.Tests.Envelope;

/// <summary>
/// Project Wycheproof ECDSA P-256/SHA-256 vectors in IEEE P1363 encoding (C2SP/wycheproof
/// testvectors_v1/ecdsa_secp256r1_sha256_p1363_test.json; source and commit in TestData/wycheproof/README.md),
/// run through <see cref="EcdsaP256.Verify"/>, the primitive <see cref="EnvelopeVerifier"/> uses.
/// </summary>
/// <remarks>
/// "valid" must verify and "invalid" must not. "acceptable" (legacy encodings some libraries allow) would be
/// refused by us, since an accepted alternative encoding is signature malleability; the file has none, and the
/// test asserts that so a future copy with some is looked at.
/// </remarks>
public sealed class WycheproofEcdsaTests
{
    private const string VectorFile = "TestData/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json";

    [Fact]
    public void Verify_WycheproofP1363Vectors_ValidVerifyInvalidDoNot()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, VectorFile)));
        var root = document.RootElement;
        Assert.Equal("ECDSA", root.GetProperty("algorithm").GetString());
        Assert.Equal("ecdsa_p1363_verify_schema.json", root.GetProperty("schema").GetString());

        int valid = 0, invalid = 0, acceptable = 0;
        var wrong = new List<string>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            Assert.Equal("EcdsaP1363Verify", group.GetProperty("type").GetString());
            Assert.Equal("secp256r1", group.GetProperty("publicKey").GetProperty("curve").GetString());
            Assert.Equal("SHA-256", group.GetProperty("sha").GetString());
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromHexString(group.GetProperty("publicKeyDer").GetString()!), out _);

            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var id = test.GetProperty("tcId").GetInt32();
                var message = Convert.FromHexString(test.GetProperty("msg").GetString()!);
                var signature = Convert.FromHexString(test.GetProperty("sig").GetString()!);
                var result = test.GetProperty("result").GetString();
                var verified = EcdsaP256.Verify(key, message, signature);
                switch (result)
                {
                    case "valid":
                        valid++;
                        if (!verified)
                        {
                            wrong.Add($"tcId {id} ({test.GetProperty("comment").GetString()}): valid but refused");
                        }

                        break;
                    case "invalid":
                        invalid++;
                        if (verified)
                        {
                            wrong.Add($"tcId {id} ({test.GetProperty("comment").GetString()}): invalid but accepted");
                        }

                        break;
                    case "acceptable":
                        acceptable++;
                        if (verified)
                        {
                            wrong.Add($"tcId {id}: acceptable (legacy) encoding accepted; we refuse alternative encodings");
                        }

                        break;
                    default:
                        wrong.Add($"tcId {id}: unknown result '{result}'");
                        break;
                }
            }
        }

        Assert.Empty(wrong);
        // The file's numberOfTests is 252: 169 valid, 83 invalid, 0 acceptable. The counts keep the test from passing empty.
        Assert.Equal(root.GetProperty("numberOfTests").GetInt32(), valid + invalid + acceptable);
        Assert.Equal((169, 83, 0), (valid, invalid, acceptable));
    }

    [Fact]
    public void Verify_DerEncodedSignature_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var message = "m"u8.ToArray();
        var der = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.False(EcdsaP256.Verify(key, message, der));
        Assert.True(EcdsaP256.Verify(key, message, EcdsaP256.Sign(key, message)));
    }

    [Fact]
    public void Verify_P384Key_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var message = "m"u8.ToArray();
        var signature = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.False(EcdsaP256.Verify(key, message, signature));
    }
}
