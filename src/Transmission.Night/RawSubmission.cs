using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Election;
using Transmission.Core.Envelope;
using Transmission.Core.Protocol;
using Transmission.Grpc;
using Transmission.Cli;

namespace Transmission.Night;

/// <summary>
/// The deliberate bad cases: what an attacker or a broken device would send, built with the
/// same public libraries a third party would use, sent over a station's own mutual-TLS link.
/// </summary>
internal static class RawSubmission
{
    /// <summary>A protocol of <paramref name="stationCode"/>, signed with that station's signing key in <paramref name="signerFolder"/>.</summary>
    public static byte[] SignedEnvelope(ElectionDefinition definition, string stationCode, string signerFolder, long seed, TimeProvider time)
    {
        var protocol = SampleProtocols.Create(definition, stationCode, seed) with { SignedAt = time.GetUtcNow() };
        var message = protocol.ToContract().Value ?? throw new InvalidOperationException("sample protocol does not map");
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(signerFolder, "signing.key.pem")));
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(signerFolder, "signing.cert.pem"));
        var envelope = EnvelopeSigner.Sign(PayloadTypes.ResultProtocol, message.ToByteArray(), key, certificate);
        return EnvelopeMapping.ToBytes(envelope);
    }

    /// <summary>The same envelope with one byte of the signed payload changed after signing.</summary>
    public static byte[] Tampered(byte[] envelopeBytes)
    {
        var envelope = Envelope.Parser.ParseFrom(envelopeBytes);
        var payload = envelope.Payload.ToByteArray();
        payload[^1] ^= 0x01;
        envelope.Payload = ByteString.CopyFrom(payload);
        return envelope.ToByteArray();
    }

    /// <summary>Sends <paramref name="envelopes"/> in one Submit stream over the TLS identity in <paramref name="tlsFolder"/>.</summary>
    public static async Task<IReadOnlyList<SubmitResponse>> SendAsync(Uri central, string tlsFolder, IReadOnlyList<byte[]> envelopes, CancellationToken cancellationToken)
    {
        using var clientCertificate = KeyFiles.LoadTlsCertificate(Path.Combine(tlsFolder, "tls.cert.pem"), Path.Combine(tlsFolder, "tls.key.pem"));
        using var root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(tlsFolder, "ca.cert.pem"));
        using var channel = GrpcChannel.ForAddress(central, new GrpcChannelOptions
        {
            ClientCertificate = clientCertificate,
            TrustedRoots = [root],
        });
        using var call = channel.AsyncDuplexStreamingCall(TransmissionMethods.Submit, new CallOptions(
            Deadline: DateTime.UtcNow.AddMinutes(2), CancellationToken: cancellationToken));
        for (var i = 0; i < envelopes.Count; i++)
        {
            var id = $"night-{i}";
            await call.RequestStream.WriteAsync(new SubmitRequest { Start = new SubmissionStart { CorrelationId = id, Envelope = ByteString.CopyFrom(envelopes[i]) } }, cancellationToken);
            await call.RequestStream.WriteAsync(new SubmitRequest { End = new SubmissionEnd { CorrelationId = id } }, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        var responses = new List<SubmitResponse>();
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            responses.Add(call.ResponseStream.Current);
        }

        return responses;
    }
}
